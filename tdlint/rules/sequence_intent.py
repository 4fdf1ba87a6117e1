"""Is one output per timestep meant? The evidence a file gives about a per-timestep head.

A `Dense` on the sequence output of an RNN gives one output per timestep. Real code does that
on purpose far more often than by mistake (seq2seq decoders, language models, taggers, CTC,
per-step forecasting), so the rules that report it (TDL001, TDL004, TDL203) first read what the
file says about the model's intent:

* **labels** passed to ``fit``/``evaluate`` decide when their shape is known: a time axis
  (``(batch, time, ...)``, or ``(batch, time)`` with a sparse loss) means per timestep; one
  value per sequence means a forgotten reduction;
* a **per-sequence head**: a 1-unit sigmoid trained with ``binary_crossentropy``;
* **per-timestep structure**: a decoder (``initial_state=``, ``return_state=True``), a
  ``RepeatVector`` before the RNN, a vocabulary-sized projection (the units of an upstream
  ``Embedding``'s vocabulary), temporal sample weights, a CTC loss;
* **labels tdlint cannot see**: ``fit`` on a generator or a ``tf.data`` pipeline, a custom
  training loop, a model handed to code tdlint does not follow. Then nothing is known, and
  nothing is reported. Labels passed to ``fit(X, y)`` whose shape tdlint cannot follow are
  different: they are no evidence either way, and the rest of the file decides.

Measured on two hand-labelled corpora of public code with ``benchmarks/td001_precision.py``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, replace

from tdlint.analysis.arrays import Array
from tdlint.analysis.graph import Application, DataCall, FileGraph, Model, Tensor
from tdlint.diagnostics import Applicability, FixPlan, NodeEdit
from tdlint.keras.losses import loss_name
from tdlint.keras.shapes import UNKNOWN, format_shape, is_known
from tdlint.rules.base import RuleContext, rnn_layer, through_shape_preserving
from tdlint.rules.datafit import data_calls, model_output, output_activation
from tdlint.rules.edits import ImportPlan, call_with_keyword, layers_package, spell_layer

PER_TIMESTEP, PER_SEQUENCE, UNKNOWN_LABELS = "per-timestep", "per-sequence", "unknown-labels"

# A head that only a per-sequence classifier has: the loss, and the activation of a 1-unit head.
PER_SEQUENCE_CLASSIFIERS = {"binary_crossentropy": "sigmoid"}
SPARSE_LOSSES = frozenset({"sparse_categorical_crossentropy"})

# Connectionist temporal classification (speech, OCR): per-timestep outputs are the point.
_CTC = re.compile(r"ctc_batch_cost|ctc_loss|CTCLoss|ctc_decode|\bCTC", re.IGNORECASE)
# Training the file does itself, on labels tdlint does not see.
_CUSTOM_TRAINING = re.compile(r"GradientTape|def train_step\b")
# The units of a projection onto a vocabulary (or of a tagger's head onto its tag set), as
# their argument is usually written.
_VOCABULARY_WORDS = re.compile(r"vocab|token|char|word|symbol|alphabet|tag", re.IGNORECASE)


@dataclass(frozen=True)
class Evidence:
    """What a file says about a per-timestep head: ``kind`` is PER_TIMESTEP, PER_SEQUENCE,
    UNKNOWN_LABELS or None (nothing either way), ``reason`` says what was seen."""

    kind: str | None
    reason: str = ""
    labels: Array | None = None  # the labels that decided, when it was labels
    loss: str | None = None  # and the loss they were trained with
    call: DataCall | None = None  # and the ``fit``/``evaluate`` call that was given them


@dataclass(frozen=True)
class SequenceHead:
    """A layer applied per timestep to an RNN's sequence output: the application, and the
    RNN's."""

    head: Application
    rnn: Application


def sequence_source(app: Application) -> Application | None:
    """The RNN application whose sequence output ``app`` reads (through Dropout and other
    shape-preserving layers), or None."""
    source, _ = through_shape_preserving(app.input)
    rnn = source.producer
    if rnn is None or not rnn.layer.spec.is_rnn or source is not rnn.outputs[0]:
        return None
    return rnn


def dense_on_sequences(graph: FileGraph) -> Iterator[SequenceHead]:
    """Every bare ``Dense`` applied to the 3D sequence output of an RNN."""
    for app in graph.applications:
        if app.layer.spec.name != "Dense" or app.input.rank != 3:
            continue
        rnn = sequence_source(app)
        if rnn is not None:
            yield SequenceHead(app, rnn)


def reduced_downstream(graph: FileGraph, app: Application) -> bool:
    """Whether the per-timestep output is later reduced or consumed by a layer that uses the
    time axis (Flatten, pooling, another RNN, attention...), rather than ending up as a model
    output: then the per-timestep layer is a step inside the model."""
    frontier, seen = [app.output], set()
    while frontier:
        tensor = frontier.pop()
        for consumer in graph.consumers(tensor):
            if id(consumer) in seen:
                continue
            seen.add(id(consumer))
            spec = consumer.layer.spec
            if spec.shape_preserving or spec.name == "Dense":
                frontier.extend(consumer.outputs)
            else:
                return True
    return False


def models_using(ctx: RuleContext, app: Application) -> list[Model]:
    """The models that contain ``app``'s layer (a shared layer: any of its models), in the
    graph's order. Looked up in an index built once per file: every candidate head asks."""
    index = ctx.memo("models-by-application", lambda: _models_by_application(ctx.graph))
    found = {i for a in app.layer.applications for i in index.get(id(a), ())}
    return [ctx.graph.models[i] for i in sorted(found)]


def _models_by_application(graph: FileGraph) -> dict[int, list[int]]:
    """id(application) -> the indices of the models that contain it."""
    index: dict[int, list[int]] = {}
    for i, model in enumerate(graph.models):
        for app in model.applications:
            holders = index.setdefault(id(app), [])
            if not holders or holders[-1] != i:
                holders.append(i)
    return index


def evidence(ctx: RuleContext, found: SequenceHead) -> Evidence:
    """What the file says about this per-timestep head, strongest evidence first."""
    models = models_using(ctx, found.head)
    labels = label_evidence(models)
    if labels.kind in (PER_TIMESTEP, PER_SEQUENCE):
        return labels
    for check in (_structure_evidence, _head_evidence):
        seen = check(ctx, found, models)
        if seen.kind is not None:
            return seen
    if labels.kind == UNKNOWN_LABELS:
        return labels
    if any(model.handed_over for model in models):
        return Evidence(UNKNOWN_LABELS, "the model is handed to code tdlint does not follow")
    if ctx.source_has(_CUSTOM_TRAINING):
        return Evidence(UNKNOWN_LABELS, "the file trains in a loop of its own")
    return Evidence(None)


# ---------------------------------------------------------------------- the labels


def label_evidence(models: list[Model]) -> Evidence:
    """What the labels given to ``fit``/``evaluate`` say: the first call whose labels decide."""
    unknown = None
    for fit in data_calls(models):
        if fit.call.method.startswith("predict"):
            continue
        out = model_output(fit.model)
        verdict = _labels_verdict(fit.y, fit.loss, out, fit.labels_given)
        if verdict.kind == UNKNOWN_LABELS and fit.one_label_per_window:
            verdict = Evidence(
                PER_SEQUENCE, "its data is windowed with one target per window (no time axis)"
            )
        if verdict.kind in (PER_TIMESTEP, PER_SEQUENCE):
            return replace(verdict, call=fit.call)
        if unknown is None or verdict.kind == UNKNOWN_LABELS:
            unknown = verdict  # a pipeline tdlint cannot see outweighs labels it cannot read
    return unknown or Evidence(None)


def _labels_verdict(y: object, loss: str | None, out: tuple | None, given: bool) -> Evidence:
    if not isinstance(y, Array) or y.shape is None:
        if given:
            # `fit(X, y)` with labels of a shape tdlint cannot follow: they say nothing
            # either way, and the rest of the file decides.
            return Evidence(None)
        # A generator, a tf.data pipeline, a Sequence...: they may well carry labels with a
        # time axis (windowed forecasting), and tdlint cannot see into them.
        return Evidence(UNKNOWN_LABELS, "its labels come from a pipeline tdlint cannot see")
    shape = tuple(y.shape)
    text = format_shape(shape)
    per_timestep = Evidence(PER_TIMESTEP, f"the labels {text} have a time axis", y, loss)
    per_sequence = Evidence(PER_SEQUENCE, f"the labels {text} have one value per sequence", y, loss)
    if len(shape) >= 3:
        return per_timestep
    if len(shape) <= 1:
        return per_sequence
    verdict = _rank_two_labels(shape, loss, out)
    if verdict is None:
        return Evidence(None)  # (batch, n) labels that fit either reading say nothing
    return per_timestep if verdict else per_sequence


def _rank_two_labels(shape: tuple, loss: str | None, out: tuple | None) -> bool | None:
    """Whether labels ``(batch, n)`` have a time axis (True), none (False), or cannot tell.

    ``(batch, time)`` are per-timestep labels for a sparse loss, and for a 1-unit head, whose
    last axis Keras squeezes away before comparing; ``(batch, classes)`` are one-hot labels,
    one per sequence."""
    n = shape[1]
    steps, units = (out[1], out[2]) if out is not None and len(out) == 3 else (UNKNOWN, UNKNOWN)
    if steps == 1:
        return None  # one timestep: one value per step is one value per sequence
    if is_known(n) and n not in (1, units) and n == steps:
        return True  # one value per step (``pad_sequences``'d tags), whatever the loss wants
    if loss in SPARSE_LOSSES or units == 1:
        if is_known(n) and is_known(steps):
            return True if n == steps else (False if n == 1 else None)
        return False if n == 1 else None
    if loss is not None or (is_known(units) and units == n):
        return False
    return None


# ---------------------------------------------------------------------- the model's structure


def _structure_evidence(ctx: RuleContext, found: SequenceHead, models: list[Model]) -> Evidence:
    rnn = found.rnn
    if "initial_state" in rnn.call_keywords:
        return Evidence(PER_TIMESTEP, f"the {_rnn_name(rnn)} is a decoder (`initial_state=`)")
    for model in models:
        for app in model.applications:
            layer = rnn_layer(app.layer)
            if layer.spec.is_rnn and layer.args.get("return_state") is True:
                return Evidence(
                    PER_TIMESTEP,
                    f"the model passes RNN states on (`return_state=True` at {ctx.at(layer.call)})",
                )
        if model.compile_keywords.get("sample_weight_mode") == "temporal":
            return Evidence(PER_TIMESTEP, "it is compiled with `sample_weight_mode='temporal'`")
    repeat = _upstream(rnn.input, "RepeatVector")
    if repeat is not None:
        return Evidence(
            PER_TIMESTEP, f"a `RepeatVector` ({ctx.at(repeat.layer.call)}) makes the steps"
        )
    vocabulary = _vocabulary_projection(ctx, found)
    if vocabulary:
        return Evidence(PER_TIMESTEP, vocabulary)
    if ctx.source_has(_CTC):
        return Evidence(PER_TIMESTEP, "the file uses a CTC loss")
    return Evidence(None)


def _rnn_name(app: Application) -> str:
    return rnn_layer(app.layer).name


def _upstream(tensor: Tensor, layer_name: str) -> Application | None:
    """The nearest application of ``layer_name`` that ``tensor`` depends on, if any."""
    stack, seen = [tensor], set()
    while stack:
        current = stack.pop()
        app = current.producer
        if app is None or id(app) in seen:
            continue
        seen.add(id(app))
        if app.layer.spec.name == layer_name:
            return app
        stack.extend(app.inputs)
    return None


def _vocabulary_projection(ctx: RuleContext, found: SequenceHead) -> str:
    """Why the head projects onto a vocabulary (a language model, a decoder) or a tag set (a
    tagger), or ""."""
    units = found.head.layer.args.get("units")
    embedding = _upstream(found.rnn.input, "Embedding")
    if embedding is not None and is_known(units) and embedding.layer.args.get("input_dim") == units:
        where = ctx.at(embedding.layer.call)
        return f"its {units} units are the vocabulary of the `Embedding` ({where})"
    written = _units_text(ctx, found.head)
    if written and _VOCABULARY_WORDS.search(written):
        return f"its units `{written}` are the size of a vocabulary or tag set"
    return ""


def _units_text(ctx: RuleContext, app: Application) -> str:
    call = app.layer.call
    for i, arg in enumerate(call.args):
        if (arg.keyword is None and i == 0) or (
            arg.keyword and arg.keyword.value in ("units", "output_dim")
        ):
            return ctx.code(arg.value)
    return ""


# ---------------------------------------------------------------------- the head itself


def _head_evidence(ctx: RuleContext, found: SequenceHead, models: list[Model]) -> Evidence:
    """A head only a per-sequence classifier has: a 1-unit sigmoid with binary cross-entropy."""
    for model in models:
        out = model_output(model)
        if out is None or len(out) != 3 or out[-1] != 1:
            continue
        tail = model.current if model.kind == "sequential" else model.outputs[0]
        if tail is None or through_shape_preserving(tail)[0].producer is not found.head:
            continue  # not this model's head
        loss = loss_name(model.loss)
        activation = output_activation(tail)
        if loss in PER_SEQUENCE_CLASSIFIERS and activation == PER_SEQUENCE_CLASSIFIERS[loss]:
            return Evidence(
                PER_SEQUENCE,
                f"a 1-unit {activation} with `{loss}` is a per-sequence classifier's head",
            )
    return Evidence(None)


# ---------------------------------------------------------------------- fixes the evidence supports


def reduce_sequence_fix(ctx: RuleContext, head: Application, rnn: Application) -> FixPlan | None:
    """For per-sequence evidence: ``return_sequences=False`` on the RNN, and a
    ``TimeDistributed`` around the head unwrapped (it would get no time axis). Offered only
    when the RNN and the head are each used once: other uses would change too."""
    recurrent = rnn_layer(rnn.layer)
    if len(recurrent.applications) > 1 or len(head.layer.applications) != 1:
        return None
    edits = [
        NodeEdit(
            recurrent.call,
            call_with_keyword(ctx.module, recurrent.call, "return_sequences", "False"),
        )
    ]
    inner = head.layer.inner
    if head.layer.spec.is_wrapper:
        if inner is None or head.layer.spec.name != "TimeDistributed":
            return None
        edits.append(NodeEdit(head.layer.call, ctx.module.code_for_node(inner.call)))
    return FixPlan(
        Applicability.UNSAFE, f"Set `return_sequences=False` on the {recurrent.name}", tuple(edits)
    )


def time_distributed_fix(ctx: RuleContext, app: Application) -> FixPlan | None:
    """``TimeDistributed(Dense(...))`` for a ``Dense`` applied to a sequence: it computes the
    same thing, and says that one output per timestep is meant. Unsafe: the layer nests, and
    so do the names of its weights in saved models. Not for a layer used more than once
    (its other uses would change too)."""
    dense = app.layer
    if len(dense.applications) != 1:
        return None
    plan = ImportPlan(ctx.graph, layers_package(dense))
    wrapper = spell_layer(ctx.graph, dense, "TimeDistributed", plan)
    wrapped = f"{wrapper}({ctx.module.code_for_node(dense.call)})"
    return FixPlan(
        Applicability.UNSAFE,
        "Wrap in `TimeDistributed`",
        (NodeEdit(dense.call, wrapped), *plan.edits()),
    )
