"""The rule registry. Each rule lives in its own module; ``ALL_RULES`` lists them in code order."""

from __future__ import annotations

from tdlint.codes import CODES, DEFAULT_OFF
from tdlint.io_error import IO_ERROR
from tdlint.rules.base import Invalid, Rule, RuleContext
from tdlint.rules.tdl001_dense_on_sequence_output import DenseOnSequenceOutput
from tdlint.rules.tdl002_time_distributed_dense import TimeDistributedDense
from tdlint.rules.tdl003_time_distributed_without_time_axis import TimeDistributedWithoutTimeAxis
from tdlint.rules.tdl004_implicit_per_timestep_dense import ImplicitPerTimestepDense
from tdlint.rules.tdl101_incompatible_input_rank import IncompatibleInputRank
from tdlint.rules.tdl102_merge_shape_mismatch import MergeShapeMismatch
from tdlint.rules.tdl103_reshape_size_mismatch import ReshapeSizeMismatch
from tdlint.rules.tdl104_non_positive_dimension import NonPositiveDimension
from tdlint.rules.tdl105_input_shape_includes_batch import InputShapeIncludesBatch
from tdlint.rules.tdl106_flatten_missing import FlattenMissing
from tdlint.rules.tdl107_unbuildable_weights import UnbuildableWeights
from tdlint.rules.tdl108_shape_not_a_tuple import ShapeNotATuple
from tdlint.rules.tdl109_weights_shape_mismatch import WeightsShapeMismatch
from tdlint.rules.tdl110_shared_layer_input_mismatch import SharedLayerInputMismatch
from tdlint.rules.tdl201_fit_input_shape_mismatch import FitInputShapeMismatch
from tdlint.rules.tdl202_fit_target_shape_mismatch import FitTargetShapeMismatch
from tdlint.rules.tdl203_sequence_output_for_sequence_label import SequenceOutputForSequenceLabel
from tdlint.rules.tdl204_activation_loss_mismatch import ActivationLossMismatch
from tdlint.rules.tdl301_keras1_layer_arguments import Keras1LayerArguments
from tdlint.rules.tdl302_old_training_api import OldTrainingApi
from tdlint.rules.tdl303_moved_keras_module import MovedKerasModule
from tdlint.rules.tdl304_removed_predict_method import RemovedPredictMethod
from tdlint.rules.tdl305_optimizer_arguments import OldOptimizerArguments
from tdlint.rules.tdl306_keras1_merge import Keras1Merge
from tdlint.rules.tdl307_removed_backend_function import RemovedBackendFunction
from tdlint.rules.tdl308_cudnn_layer import CudnnLayer
from tdlint.rules.tdl309_changed_recurrent_defaults import ChangedRecurrentDefaults
from tdlint.rules.tdl310_renamed_keras_function import RenamedKerasFunction
from tdlint.rules.tdl311_keras3_save_path import Keras3SavePath

ALL_RULES: tuple[type[Rule], ...] = (
    DenseOnSequenceOutput,
    TimeDistributedDense,
    TimeDistributedWithoutTimeAxis,
    ImplicitPerTimestepDense,
    IncompatibleInputRank,
    MergeShapeMismatch,
    ReshapeSizeMismatch,
    NonPositiveDimension,
    InputShapeIncludesBatch,
    FlattenMissing,
    UnbuildableWeights,
    ShapeNotATuple,
    WeightsShapeMismatch,
    SharedLayerInputMismatch,
    FitInputShapeMismatch,
    FitTargetShapeMismatch,
    SequenceOutputForSequenceLabel,
    ActivationLossMismatch,
    Keras1LayerArguments,
    OldTrainingApi,
    MovedKerasModule,
    RemovedPredictMethod,
    OldOptimizerArguments,
    Keras1Merge,
    RemovedBackendFunction,
    CudnnLayer,
    ChangedRecurrentDefaults,
    RenamedKerasFunction,
    Keras3SavePath,
)

# Not rule classes: reported by the engine itself.
SYNTAX_ERROR = ("TDL000", "syntax-error")  # a file that does not parse or decode
UNUSED_NOQA = ("TDL900", "unused-noqa")  # a suppression comment that suppresses nothing
REDIRECTED_NOQA = ("TDL901", "redirected-noqa")  # one that names an old code (TD001)
# IO_ERROR (TDL902): a path that cannot be read; tdlint.io_error, which needs no LibCST.
ENGINE_CODES = dict([SYNTAX_ERROR, UNUSED_NOQA, REDIRECTED_NOQA, IO_ERROR])

if {**ENGINE_CODES, **{r.code: r.name for r in ALL_RULES}} != CODES:  # pragma: no cover
    raise RuntimeError("tdlint.codes.CODES is out of date with the rule classes")

__all__ = [
    "ALL_RULES",
    "DEFAULT_OFF",
    "ENGINE_CODES",
    "SYNTAX_ERROR",
    "UNUSED_NOQA",
    "REDIRECTED_NOQA",
    "IO_ERROR",
    "Invalid",
    "Rule",
    "RuleContext",
    "rule_names",
]


def rule_names() -> dict[str, str]:
    """Code -> kebab name: every rule and the engine's own codes, in code order."""
    return dict(CODES)
