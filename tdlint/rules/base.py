"""What a rule is: a code, a name, its docs, ``check()`` over the graph, and its own examples."""

from __future__ import annotations

import io
import re
import tokenize
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, TypeVar

import libcst as cst

from tdlint.analysis.graph import Application, FileGraph, Layer, Tensor
from tdlint.diagnostics import Finding, Severity

T = TypeVar("T")
_WORD = re.compile(r"\w+")


@dataclass(frozen=True)
class Invalid:
    """An example a rule must report; ``fixed`` is the source after ``--fix --unsafe-fixes``."""

    source: str
    fixed: str | None = None
    # A fragment the message must contain (keeps messages honest in tests).
    message: str | None = None
    # The 1-based line the finding is reported on (line 1 is the empty one after the quotes).
    row: int | None = None


class RuleContext:
    """What a rule may read: the graph, the module, and cheap helpers for messages."""

    def __init__(
        self,
        graph: FileGraph,
        line_of: Callable[[cst.CSTNode], int],
        keras_version: str | None = None,
        row_label: Callable[[int], str] | None = None,
        target_version: str | None = None,
    ) -> None:
        self.graph = graph
        self.module = graph.module
        self.source = graph.source
        self._line_of = line_of
        self._row_label = row_label or (lambda row: f"line {row}")
        # From configuration (``keras-version``): "1.0", "1.1", "1.2", "1", "2", "3" or None.
        self.keras_version = keras_version
        # The Keras the version rules upgrade to (``target-keras-version``): "3" by default.
        self.target_version = target_version or "3"
        # What rules ask of the whole file, computed once however many findings ask it: a
        # file with a thousand findings must not be searched a thousand times.
        self._searched: dict[re.Pattern[str], bool] = {}
        self._words: Counter[str] | None = None
        self._names: Counter[str] | None = None
        self._memo: dict[str, Any] = {}

    def source_has(self, pattern: re.Pattern[str]) -> bool:
        """Whether ``pattern`` occurs anywhere in the file's text (searched once per file)."""
        found = self._searched.get(pattern)
        if found is None:
            found = self._searched[pattern] = pattern.search(self.source) is not None
        return found

    def word_count(self, name: str) -> int:
        """How often ``name`` occurs as a whole word in the file's text (``\\bname\\b``):
        every word is counted in one pass, the first time any is asked for."""
        if _WORD.fullmatch(name) is None:  # not a word: no index answers it
            return len(re.findall(rf"\b{re.escape(name)}\b", self.source))
        if self._words is None:
            self._words = Counter(_WORD.findall(self.source))
        return self._words[name]

    def name_count(self, name: str) -> int:
        """How often ``name`` occurs as a name in the code: in imports and uses, not in
        comments and strings (a docstring that mentions a removed layer is no use of it).
        The file is tokenized once, the first time any name is asked for."""
        if self._names is None:
            try:
                tokens = tokenize.generate_tokens(io.StringIO(self.source).readline)
                self._names = Counter(t.string for t in tokens if t.type == tokenize.NAME)
            except (tokenize.TokenError, SyntaxError):
                self._names = Counter(_WORD.findall(self.source))
        return self._names[name]

    def memo(self, key: str, compute: Callable[[], T]) -> T:
        """``compute()``, once per file for each ``key`` (an index over the graph, say)."""
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]

    def line(self, node: cst.CSTNode) -> int:
        """1-based line of a node (positions are computed only when a rule asks)."""
        return self._line_of(node)

    def at(self, node: cst.CSTNode) -> str:
        """Where a node is, for messages: ``line 12``, or ``cell 4, line 3`` in a notebook."""
        return self._row_label(self.line(node))

    def code(self, node: cst.CSTNode, limit: int = 60) -> str:
        text = " ".join(self.module.code_for_node(node).split())
        return text if len(text) <= limit else text[: limit - 3] + "..."


class Rule:
    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[Severity]
    # "always", "sometimes" or "none", as the docs state it.
    fix_availability: ClassVar[str] = "none"
    VALID: ClassVar[list[str]] = []
    INVALID: ClassVar[list[Invalid]] = []

    @classmethod
    def summary(cls) -> str:
        return (cls.__doc__ or "").strip().splitlines()[0]

    def check(self, ctx: RuleContext) -> Iterator[Finding]:
        raise NotImplementedError


# ---------------------------------------------------------------- graph helpers rules share


def through_shape_preserving(tensor: Tensor) -> tuple[Tensor, list[Application]]:
    """Walk back from a tensor past Dropout/BatchNormalization/Activation...; return the first
    tensor not produced by such a layer, and the layers passed on the way."""
    passed: list[Application] = []
    seen: set[int] = set()
    while tensor.producer is not None and tensor.producer.layer.spec.shape_preserving:
        if id(tensor.producer) in seen:
            break
        seen.add(id(tensor.producer))
        passed.append(tensor.producer)
        tensor = tensor.producer.input
    return tensor, passed


def rnn_layer(layer: Layer) -> Layer:
    """The recurrent layer itself (inside ``Bidirectional``)."""
    inner = layer.inner
    return inner if layer.spec.is_wrapper and inner is not None else layer


def application_site(app: Application) -> cst.CSTNode:
    """Where a layer meets its input, for findings about that: the call that applies it
    (``head(h)``, ``self.out(x)`` in a model's ``call``), or its creation when the two are one
    expression (``Dense(3)(h)``, a layer in ``Sequential([...])`` or ``model.add(...)``)."""
    node = app.node
    if node is app.layer.call or (isinstance(node, cst.Call) and node.func is app.layer.call):
        return app.layer.call
    return node


def creation_apart(app: Application) -> tuple[cst.CSTNode, ...]:
    """The layer's creation when it is another expression than its application site (the
    related code of a finding reported there), or nothing."""
    return () if application_site(app) is app.layer.call else (app.layer.call,)


def creation_note(ctx: RuleContext, app: Application) -> str:
    """`` (created at line 12)`` for a layer created apart from where it is applied, or ""."""
    return f" (created at {ctx.at(app.layer.call)})" if creation_apart(app) else ""


def first_keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def describe_origin(ctx: RuleContext, tensor: Tensor) -> str:
    """Where a tensor comes from, for messages: a layer and its line, or the input shape."""
    producer = tensor.producer
    if producer is not None:
        return f"from `{producer.layer.display}` at {ctx.at(producer.layer.call)}"
    if tensor.node is not None and tensor.origin:
        return f"from the input shape at {ctx.at(tensor.node)}"
    return "from the model input"


def shape_errors(ctx: RuleContext, kind: str) -> Iterator[Application]:
    """Applications where Keras would refuse the shapes at build time, of one kind."""
    for app in ctx.graph.applications:
        if app.error is not None and app.error.kind == kind:
            yield app
