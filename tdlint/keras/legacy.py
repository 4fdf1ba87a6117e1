"""Old Keras spellings and what replaced them: the knowledge the version rules (TDL3xx) apply.

The Keras 1 argument names are those that multi-backend Keras 2.0-2.3 still translated, with
a warning, in ``keras/legacy/interfaces.py`` (read at 2.3.1): the conversions below are that
file's, layer by layer.  tf.keras 2 and Keras 3 have no such translation: a Keras 1 keyword
is a ``TypeError`` or an "Unrecognized keyword arguments" ``ValueError`` there.

A version here is ``(major, minor)``; a spelling "breaks" from the first version that
refuses it or reads it otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass

Version = tuple[int, int]

KERAS2: Version = (2, 0)  # Keras 1 names and signatures translated, with a warning
MULTI_BACKEND_LAST: Version = (2, 3)
TF_KERAS: Version = (2, 4)  # the legacy translation is gone (tf.keras 2, keras 2.4+)
KERAS3: Version = (3, 0)

# dim_ordering values -> data_format values ("default" means: leave it to keras.json).
DIM_ORDERING = {"tf": "channels_last", "th": "channels_first"}
# consume_less values -> implementation values.
CONSUME_LESS = {"cpu": 0, "mem": 1, "gpu": 2}

# Keras 1 keyword names shared by most layers with weights (the shape catalogue binds Keras 1
# calls with these tables too).
WEIGHT_RENAMES = {
    "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer",
    "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
}
DENSE_RENAMES = {"output_dim": "units", **WEIGHT_RENAMES}
RECURRENT_RENAMES = {
    **DENSE_RENAMES,
    "inner_init": "recurrent_initializer",
    "inner_activation": "recurrent_activation",
    "U_regularizer": "recurrent_regularizer",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
    "consume_less": "implementation",
}
_CONV1D = {
    "nb_filter": "filters",
    "filter_length": "kernel_size",
    "subsample_length": "strides",
    "border_mode": "padding",
    **WEIGHT_RENAMES,
}
_CONV = {
    "nb_filter": "filters",
    "subsample": "strides",
    "border_mode": "padding",
    "dim_ordering": "data_format",
    **WEIGHT_RENAMES,
}
_SEPARABLE = {
    "nb_filter": "filters",
    "subsample": "strides",
    "border_mode": "padding",
    "dim_ordering": "data_format",
    "b_regularizer": "bias_regularizer",
    "b_constraint": "bias_constraint",
    "bias": "use_bias",
}
_CONVLSTM = {
    **_CONV,
    "inner_init": "recurrent_initializer",
    "U_regularizer": "recurrent_regularizer",
    "inner_activation": "recurrent_activation",
    "dropout_W": "dropout",
    "dropout_U": "recurrent_dropout",
}
_DATA_FORMAT = {"dim_ordering": "data_format"}
_POOLING = {"border_mode": "padding", "dim_ordering": "data_format"}
_RATE = {"p": "rate"}

# Layer name (every alias Keras 1 and 2 had) -> {Keras 1 keyword: Keras 2 keyword}.
ARGUMENT_RENAMES: dict[str, dict[str, str]] = {
    "Dense": DENSE_RENAMES,
    "Dropout": _RATE,
    "SpatialDropout1D": _RATE,
    "SpatialDropout2D": {**_RATE, **_DATA_FORMAT},
    "SpatialDropout3D": {**_RATE, **_DATA_FORMAT},
    "GaussianDropout": _RATE,
    "GaussianNoise": {"sigma": "stddev"},
    "Embedding": {
        "init": "embeddings_initializer",
        "W_regularizer": "embeddings_regularizer",
        "W_constraint": "embeddings_constraint",
    },
    "PReLU": {"init": "alpha_initializer"},
    "BatchNormalization": {"beta_init": "beta_initializer", "gamma_init": "gamma_initializer"},
    "SimpleRNN": RECURRENT_RENAMES,
    "GRU": RECURRENT_RENAMES,
    "LSTM": RECURRENT_RENAMES,
    "ConvLSTM2D": _CONVLSTM,
    "Conv1D": _CONV1D,
    "Convolution1D": _CONV1D,
    "AtrousConvolution1D": {**_CONV1D, "atrous_rate": "dilation_rate"},
    "Conv2D": _CONV,
    "Convolution2D": _CONV,
    "Conv3D": _CONV,
    "Convolution3D": _CONV,
    "Conv2DTranspose": _CONV,
    "Deconvolution2D": _CONV,
    "AtrousConvolution2D": {**_CONV, "atrous_rate": "dilation_rate"},
    "SeparableConv2D": _SEPARABLE,
    "SeparableConvolution2D": _SEPARABLE,
    "MaxPooling1D": {"pool_length": "pool_size", "stride": "strides", "border_mode": "padding"},
    "AveragePooling1D": {
        "pool_length": "pool_size",
        "stride": "strides",
        "border_mode": "padding",
    },
    "MaxPooling2D": _POOLING,
    "AveragePooling2D": _POOLING,
    "MaxPooling3D": _POOLING,
    "AveragePooling3D": _POOLING,
    "GlobalMaxPooling2D": _DATA_FORMAT,
    "GlobalAveragePooling2D": _DATA_FORMAT,
    "GlobalMaxPooling3D": _DATA_FORMAT,
    "GlobalAveragePooling3D": _DATA_FORMAT,
    "UpSampling1D": {"length": "size"},
    "UpSampling2D": _DATA_FORMAT,
    "UpSampling3D": _DATA_FORMAT,
    "ZeroPadding2D": _DATA_FORMAT,
    "ZeroPadding3D": _DATA_FORMAT,
    "Cropping2D": _DATA_FORMAT,
    "Cropping3D": _DATA_FORMAT,
}

# Layers Keras 3 no longer has, and the layer that does the same (``atrous_rate`` is among
# the argument renames above).
LAYER_RENAMES = {
    "Deconvolution2D": "Conv2DTranspose",
    "AtrousConvolution2D": "Conv2D",
    "AtrousConvolution1D": "Conv1D",
}
# Keras 1's Deconvolution2D also took the output shape, which Keras 2 computes.
DROPPED_OUTPUT_SHAPE = "Deconvolution2D"
# The cuDNN layers of Keras 2 and tf.keras 2 (`tf.compat.v1.keras.layers`): Keras 3's LSTM
# and GRU use cuDNN by themselves where they can.  CuDNNGRU's weights are GRU's with
# ``reset_after=True`` (Keras 3's default); CuDNNLSTM has a second bias vector that LSTM has
# not, so the parameter count drops by ``4 * units``.
CUDNN = {"CuDNNLSTM": "LSTM", "CuDNNGRU": "GRU"}

# Keras 1 kernel sizes given positionally after the filters: the number of kernel dims.
POSITIONAL_KERNEL_DIMS = {
    "Conv2D": 2,
    "Convolution2D": 2,
    "Deconvolution2D": 2,
    "AtrousConvolution2D": 2,
    "Conv2DTranspose": 2,
    "SeparableConv2D": 2,
    "SeparableConvolution2D": 2,
    "Conv3D": 3,
    "Convolution3D": 3,
}
# The keyword forms of the same kernel dims.
KERNEL_KEYWORDS = {2: ("nb_row", "nb_col"), 3: ("kernel_dim1", "kernel_dim2", "kernel_dim3")}
# Recurrent and Conv1D layers took the input shape as input_dim (and input_length).
INPUT_DIM_LAYERS = frozenset(
    {"SimpleRNN", "GRU", "LSTM", "Conv1D", "Convolution1D", "AtrousConvolution1D"}
)
# Keras 1 keywords that no current layer has an equivalent for.
DROPPED = {
    ("Embedding", "dropout"): (
        "Keras 2 dropped it; a `SpatialDropout1D` layer after the `Embedding` is the nearest"
    ),
}
# ``forget_bias_init="one"`` became ``unit_forget_bias=True``; any other value was ignored.
FORGET_BIAS = ("forget_bias_init", "unit_forget_bias")

# Model(input=..., output=...) and the Keras 1 keywords of the training methods.
MODEL_CONSTRUCTOR_RENAMES = {"input": "inputs", "output": "outputs"}
METHOD_ARGUMENT_RENAMES = {"nb_epoch": "epochs", "val_samples": "steps"}
# Counted samples in Keras 1, batches since Keras 2: not a rename (divide by the batch).
SAMPLES_TO_STEPS = {
    "samples_per_epoch": "steps_per_epoch",
    "nb_val_samples": "validation_steps",
    "val_samples": "steps",
}
# Worker options of the generator methods: renamed in Keras 2, gone from ``fit`` in Keras 3
# (a ``PyDataset`` takes them); they change how batches are loaded, not what is learned.
WORKER_ARGUMENTS = {
    "nb_worker": "workers",
    "pickle_safe": "use_multiprocessing",
    "max_q_size": "max_queue_size",
}
GENERATOR_METHODS = {
    "fit_generator": "fit",
    "evaluate_generator": "evaluate",
    "predict_generator": "predict",
}
# The positional parameters of the generator methods (Keras 2.3).
GENERATOR_POSITIONAL = {
    "fit_generator": ("generator", "steps_per_epoch", "epochs"),
    "evaluate_generator": ("generator", "steps"),
    "predict_generator": ("generator", "steps"),
}


@dataclass(frozen=True)
class Moved:
    """A module or name that moved: ``old`` dotted prefix, ``new`` prefix, since ``version``."""

    old: str
    new: str
    version: Version
    # False where the new home holds a successor that may compute slightly otherwise.
    exact: bool = True


# Keras 2 module paths of the layers and utilities, which Keras 3 no longer has (it has one
# ``keras.layers`` namespace); tf.keras 2 kept them.
MOVED_MODULES = tuple(
    Moved(f"keras.layers.{module}", "keras.layers", KERAS3)
    for module in (
        "core",
        "convolutional",
        "convolutional_recurrent",
        "recurrent",
        "embeddings",
        "pooling",
        "normalization",
        "noise",
        "advanced_activations",
        "wrappers",
        "merge",
        "local",
        "cudnn_recurrent",
    )
) + (
    Moved("keras.utils.np_utils", "keras.utils", KERAS3),
    Moved("keras.utils.data_utils", "keras.utils", KERAS3),
    Moved("keras.utils.vis_utils", "keras.utils", KERAS3),
    Moved("keras.utils.generic_utils", "keras.utils", KERAS3),
    Moved("keras.layers.experimental.preprocessing", "keras.layers", KERAS3),
    # tf.keras 2.11-2.15 kept the pre-2.11 optimizers here; Keras 3 has only the new ones.
    Moved("keras.optimizers.legacy", "keras.optimizers", KERAS3, exact=False),
)
# Keras 2's ``keras.engine`` modules, which custom layers imported their base class from
# (``from keras.engine.topology import Layer``); Keras 3 has no ``keras.engine``.  Name by
# name: their new homes differ.
_ENGINE_NAMES = {
    "Layer": "keras.layers.Layer",
    "InputSpec": "keras.layers.InputSpec",
    "Input": "keras.layers.Input",
    "InputLayer": "keras.layers.InputLayer",
    "Model": "keras.models.Model",
    "Sequential": "keras.models.Sequential",
    "get_source_inputs": "keras.utils.get_source_inputs",
}
MOVED_NAMES = {
    f"{module}.{name}": new
    for module in (
        "keras.engine",
        "keras.engine.topology",
        "keras.engine.base_layer",
        "keras.engine.input_layer",
        "keras.engine.input_spec",
        "keras.engine.network",
        "keras.engine.training",
        "keras.engine.sequential",
    )
    for name, new in _ENGINE_NAMES.items()
}

# Removed from Keras 3 with no name to move to: what replaces each.
REMOVED_NAMES = {
    "keras.preprocessing.text.Tokenizer": "the `keras.layers.TextVectorization` layer",
    "keras.preprocessing.image.ImageDataGenerator": (
        "`keras.utils.image_dataset_from_directory` and the augmentation layers "
        "(`RandomFlip`, `RandomRotation`...)"
    ),
    "keras.preprocessing.sequence.TimeseriesGenerator": (
        "`keras.utils.timeseries_dataset_from_array`"
    ),
    # Layers of Keras 1 (gone in Keras 2.0) and of Keras 2 (gone in Keras 3).
    "keras.layers.Highway": "a layer of your own (Keras 2.0 removed it; no successor)",
    "keras.layers.MaxoutDense": "a layer of your own (Keras 2.0 removed it; no successor)",
    "keras.layers.SReLU": "a layer of your own (Keras 2.0 removed it; no successor)",
    "keras.layers.ParametricSoftplus": "a layer of your own (Keras 2.0 removed it; no successor)",
    "keras.layers.AutoEncoder": "two models of your own (Keras 2.0 removed it)",
    "keras.layers.LocallyConnected1D": (
        "a layer of your own (Keras 3 has no locally connected layers)"
    ),
    "keras.layers.LocallyConnected2D": (
        "a layer of your own (Keras 3 has no locally connected layers)"
    ),
    "keras.layers.DenseFeatures": "the preprocessing layers or `keras.utils.FeatureSpace`",
}
for _layer in ("Highway", "MaxoutDense", "AutoEncoder"):
    REMOVED_NAMES[f"keras.layers.core.{_layer}"] = REMOVED_NAMES[f"keras.layers.{_layer}"]
for _layer in ("SReLU", "ParametricSoftplus"):
    REMOVED_NAMES[f"keras.layers.advanced_activations.{_layer}"] = REMOVED_NAMES[
        f"keras.layers.{_layer}"
    ]
for _layer in ("LocallyConnected1D", "LocallyConnected2D"):
    REMOVED_NAMES[f"keras.layers.local.{_layer}"] = REMOVED_NAMES[f"keras.layers.{_layer}"]
# What Keras 3 kept of the old preprocessing modules; the rest of them is gone.
_PREPROCESSING_KEPT = {
    "keras.preprocessing.image": frozenset(
        {"array_to_img", "img_to_array", "load_img", "save_img", "smart_resize"}
    ),
    "keras.preprocessing.sequence": frozenset({"pad_sequences"}),
    "keras.preprocessing.text": frozenset(),
}
_PREPROCESSING_SUCCESSORS = {
    "keras.preprocessing.image": (
        "`keras.utils.image_dataset_from_directory` and the image preprocessing layers"
    ),
    "keras.preprocessing.sequence": "your own NumPy code (Keras 3 has no successor)",
    "keras.preprocessing.text": "the `keras.layers.TextVectorization` layer",
}


def removed_name(path: str) -> str | None:
    """What replaces a name Keras 3 removed with no name to move to (``path`` canonical),
    or None: the named classes above, and whatever else of the old preprocessing modules
    Keras 3 did not keep (``text_to_word_sequence``, ``NumpyArrayIterator``...)."""
    if path in REMOVED_NAMES:
        return REMOVED_NAMES[path]
    module, _, name = path.rpartition(".")
    kept = _PREPROCESSING_KEPT.get(module)
    if kept is None or name in kept or not name:
        return None
    return _PREPROCESSING_SUCCESSORS[module]


# What the scikit-learn wrappers became: another package.
SCIKIT_LEARN_WRAPPERS = "keras.wrappers.scikit_learn"

# Optimizer keywords: ``lr`` became ``learning_rate`` (Keras 2.3 and tf.keras 2 accepted both);
# ``decay`` is ignored by Keras 3 with a warning, a change of meaning that raises nothing.
OPTIMIZERS = frozenset(
    {"SGD", "RMSprop", "Adagrad", "Adadelta", "Adam", "Adamax", "Nadam", "Ftrl", "AdamW"}
)

# Keras 1/2 backend functions (``keras.backend.X``) that Keras 3 removed, whose ``keras.ops``
# replacement computes the same for the arguments given: name -> (ops name, defaults that
# must be spelled because ``ops`` has another default or none).
BACKEND_TO_OPS: dict[str, tuple[str, dict[str, str]]] = {
    "abs": ("abs", {}),
    "sum": ("sum", {}),
    "mean": ("mean", {}),
    "max": ("max", {}),
    "min": ("min", {}),
    "prod": ("prod", {}),
    "square": ("square", {}),
    "sqrt": ("sqrt", {}),
    "exp": ("exp", {}),
    "log": ("log", {}),
    "sign": ("sign", {}),
    "round": ("round", {}),
    "pow": ("power", {}),
    "maximum": ("maximum", {}),
    "minimum": ("minimum", {}),
    "equal": ("equal", {}),
    "not_equal": ("not_equal", {}),
    "greater": ("greater", {}),
    "greater_equal": ("greater_equal", {}),
    "less": ("less", {}),
    "less_equal": ("less_equal", {}),
    "cast": ("cast", {}),
    "reshape": ("reshape", {}),
    "transpose": ("transpose", {}),
    "permute_dimensions": ("transpose", {}),
    "stack": ("stack", {}),
    "tanh": ("tanh", {}),
    "sigmoid": ("sigmoid", {}),
    "softplus": ("softplus", {}),
    "softsign": ("softsign", {}),
    "elu": ("elu", {}),
    "zeros_like": ("zeros_like", {}),
    "ones_like": ("ones_like", {}),
    "cos": ("cos", {}),
    "clip": ("clip", {}),
    "dot": ("dot", {}),
    "sin": ("sin", {}),
    # Keras 2's defaults, which ``ops`` does not share: spelled when the call omits them.
    "concatenate": ("concatenate", {"axis": "-1"}),
    "expand_dims": ("expand_dims", {"axis": "-1"}),
    "argmax": ("argmax", {"axis": "-1"}),
    "argmin": ("argmin", {"axis": "-1"}),
    "softmax": ("softmax", {"axis": "-1"}),
    "squeeze": ("squeeze", {}),
}
# Keras 2's positional parameters of those backend functions (to map positional arguments).
BACKEND_POSITIONAL: dict[str, tuple[str, ...]] = {
    "sum": ("x", "axis", "keepdims"),
    "mean": ("x", "axis", "keepdims"),
    "max": ("x", "axis", "keepdims"),
    "min": ("x", "axis", "keepdims"),
    "prod": ("x", "axis", "keepdims"),
    "concatenate": ("tensors", "axis"),
    "expand_dims": ("x", "axis"),
    "argmax": ("x", "axis"),
    "argmin": ("x", "axis"),
    "softmax": ("x", "axis"),
    "squeeze": ("x", "axis"),
}
# Keras 2 keyword -> ops keyword, where they differ.
BACKEND_KEYWORDS = {"tensors": "xs", "min_value": "x_min", "max_value": "x_max"}


def version_of_setting(setting: str) -> Version:
    """``"3"`` -> (3, 0); ``"2.6"`` -> (2, 6); ``"2"`` -> (2, 15), the last Keras 2;
    ``"1"`` -> (1, 2)."""
    major, _, minor = setting.partition(".")
    if minor:
        return int(major), int(minor)
    return {"1": (1, 2), "2": (2, 15)}.get(major, (int(major), 0))


def spell_since(version: Version) -> str:
    """Where a spelling broken since ``version`` fails, for messages: (3, 0) -> "Keras 3";
    (2, 4) -> "tf.keras 2 and Keras 3"; (2, 6) -> "tf.keras 2.6+ and Keras 3"."""
    if version >= KERAS3:
        return "Keras 3"
    if version == TF_KERAS:
        return "tf.keras 2 and Keras 3"
    return f"Keras {version[0]}.{version[1]}+ and Keras 3"


@dataclass(frozen=True)
class RenamedFunction:
    """A Keras function or layer that kept its meaning under another name or keywords.

    ``params`` are its old positional parameters (to tell which a call gave);
    ``keywords`` map an old keyword to the new one, from the version that refuses the old;
    ``defaults`` are written out when a call omits them, because the new name's default
    differs (Keras 3's ``l1_l2`` defaults to no regularization, Keras 2's to 0.01);
    ``as_keywords``: the new callee takes other positional parameters, so the old
    positional arguments become keywords."""

    new: str | None
    since: Version
    params: tuple[str, ...] = ()
    keywords: tuple[tuple[str, str, Version], ...] = ()
    defaults: tuple[tuple[str, str], ...] = ()
    as_keywords: bool = False


_L1L2_DEFAULTS = (("l1", "0.01"), ("l2", "0.01"))  # Keras 1 and 2 (1.2.2 and 2.3.1 alike)
# Keras 2.0 dropped Keras 1's activity_* regularizers and l1l2 (one set of functions serves
# weights and activities); Keras 3 dropped the constraint aliases maxnorm/nonneg/unitnorm
# and ThresholdedReLU (ReLU's threshold does the same: x where x > threshold, else 0), and
# named the regularizers' keyword after the penalty (l1(l1=...), not l1(l=...)).
RENAMED_FUNCTIONS = {
    "keras.constraints.maxnorm": RenamedFunction(
        "max_norm", KERAS3, ("max_value", "axis"), (("m", "max_value", TF_KERAS),)
    ),
    "keras.constraints.nonneg": RenamedFunction("non_neg", KERAS3),
    "keras.constraints.unitnorm": RenamedFunction("unit_norm", KERAS3, ("axis",)),
    "keras.regularizers.l1l2": RenamedFunction("l1_l2", KERAS2, ("l1", "l2"), (), _L1L2_DEFAULTS),
    "keras.regularizers.activity_l1l2": RenamedFunction(
        "l1_l2", KERAS2, ("l1", "l2"), (), _L1L2_DEFAULTS
    ),
    "keras.regularizers.activity_l1": RenamedFunction("l1", KERAS2, ("l",), (("l", "l1", KERAS3),)),
    "keras.regularizers.activity_l2": RenamedFunction("l2", KERAS2, ("l",), (("l", "l2", KERAS3),)),
    "keras.regularizers.l1": RenamedFunction(None, KERAS3, ("l",), (("l", "l1", KERAS3),)),
    "keras.regularizers.l2": RenamedFunction(None, KERAS3, ("l",), (("l", "l2", KERAS3),)),
    "keras.utils.to_categorical": RenamedFunction(
        None, KERAS2, ("y", "num_classes"), (("nb_classes", "num_classes", KERAS2),)
    ),
    "keras.utils.np_utils.to_categorical": RenamedFunction(
        None, KERAS2, ("y", "num_classes"), (("nb_classes", "num_classes", KERAS2),)
    ),
    "keras.layers.ThresholdedReLU": RenamedFunction(
        "ReLU",
        KERAS3,
        ("theta",),
        (("theta", "threshold", KERAS3),),
        (("threshold", "1.0"),),
        as_keywords=True,
    ),
}
RENAMED_FUNCTIONS["keras.layers.advanced_activations.ThresholdedReLU"] = RENAMED_FUNCTIONS[
    "keras.layers.ThresholdedReLU"
]
