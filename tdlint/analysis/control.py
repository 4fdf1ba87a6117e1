"""Control flow for the interpreter: branches, loops and the join after them.

A condition tdlint can evaluate runs one branch; otherwise every branch runs from the same
state and only what they agree on survives (``join``: equal values stay, shapes keep the
dims they agree on). A loop over a finite known collection is unrolled
(``tdlint.analysis.iteration``); any other loop runs its body once as a branch beside not
running at all, and a model it adds layers to becomes uncertain.
"""

from __future__ import annotations

import functools
import itertools
from typing import Any

import libcst as cst

from tdlint.analysis.blocks import body_of, breaks
from tdlint.analysis.constants import truth
from tdlint.analysis.graph import Tensor
from tdlint.analysis.iteration import items_of
from tdlint.analysis.scope import Env
from tdlint.analysis.values import join
from tdlint.keras.shapes import UNKNOWN, UNKNOWN_INT, UnknownRange

# Numbers for the undecided branch points and the separate runs of the analysis.
_branch_points = itertools.count(1)
_runs = itertools.count(1)


class ControlFlow:
    """Mixed into the interpreter, which provides ``eval``, ``exec_block``, ``assign``,
    ``env``, ``graph`` and ``uncertainty``."""

    # The branches being run (``Application.branches``), and the current run's number.
    branch_path: tuple[tuple[int, int], ...] = ()
    run_number: int = 0

    env: Env
    graph: Any
    uncertainty: int
    eval: Any
    exec_block: Any
    assign: Any
    returned: bool

    def exec_if(self, node: cst.If) -> None:
        cond = truth(self.eval(node.test))
        orelse = node.orelse
        else_body: list[Any] = []
        if isinstance(orelse, cst.If):
            else_body = [orelse]
        elif isinstance(orelse, cst.Else):
            else_body = list(body_of(orelse))
        if cond is True:
            self.exec_block(body_of(node))
        elif cond is False:
            self.exec_block(else_body)
        else:
            self.exec_branches([list(body_of(node)), else_body])

    def exec_for(self, node: cst.For) -> None:
        iterated = self.eval(node.iter)
        items = items_of(iterated)
        body = list(body_of(node))
        if items is not None and not breaks(body):
            for item in items:
                if self.returned:
                    break
                self.assign(node.target, item)
                self.exec_block(body)
        else:
            counting = isinstance(iterated, (UnknownRange, range))  # too long to unroll, too
            index = UNKNOWN_INT if counting else UNKNOWN
            self.assign(node.target, index)
            self.exec_uncertain([body])
        if isinstance(node.orelse, cst.Else):
            self.exec_block(body_of(node.orelse))

    # ------------------------------------------------------------------ uncertain control flow
    def exec_branches(self, branches: list[list[Any]]) -> None:
        """Run each branch from the same starting state, then keep only what they agree on."""
        start = self.env.copy()
        versions = self._model_versions()
        results: list[Env] = []
        self.uncertainty += 1
        outer, point = self.branch_path, next(_branch_points)
        try:
            for i, body in enumerate(branches):
                self.env.vars = dict(start.vars)
                self.branch_path = (*outer, (point, i))
                self.exec_block(body)
                results.append(self.env.copy())
        finally:
            self.uncertainty -= 1
            self.branch_path = outer
        self.env.vars = _join([r.vars for r in results])
        self._mark_changed_models(versions)

    def exec_uncertain(self, bodies: list[list[Any]]) -> None:
        """Bodies that may or may not run (loops of unknown length, handlers): each is a
        branch beside doing nothing. A loop body runs once, which finds the errors inside it."""
        self.exec_branches([*bodies, []])

    def exec_interruptible(self, body: list[Any]) -> None:
        """A ``try`` body: it runs, but may stop anywhere (its handlers then run), so what it
        does is not certainly done before what follows."""
        outer = self.branch_path
        self.branch_path = (*outer, (next(_branch_points), 0))
        try:
            self.exec_block(body)
        finally:
            self.branch_path = outer

    def new_run(self) -> tuple[int, tuple[tuple[int, int], ...]]:
        """Start a separate run (a function analysed on its own); returns what to restore."""
        saved = (self.run_number, self.branch_path)
        self.run_number, self.branch_path = next(_runs), ()
        return saved

    def _model_versions(self) -> dict[int, int]:
        return {id(m): m.version for m in self.graph.models}

    def _mark_changed_models(self, before: dict[int, int]) -> None:
        """Models that existed before the branches and gained layers in one of them. A model
        created in a branch is whole in that branch: it is not uncertain merely for that."""
        for model in self.graph.models:
            if before.get(id(model), model.version) != model.version:
                model.uncertain = True
                model.set_current(Tensor(None, origin="layers added conditionally or in a loop"))


_ABSENT = object()


def _join(envs: list[dict[str, Any]]) -> dict[str, Any]:
    """Names bound to the very same object in every branch keep it (most names: a branch
    assigns few); only the others are joined. Comparing identities keeps that cheap for a
    module's hundreds of globals."""
    first = envs[0]
    differing: set[str] = set()
    for other in envs[1:]:
        differing.update(k for k, v in other.items() if first.get(k, _ABSENT) is not v)
        differing.update(first.keys() - other.keys())
    joined = {key: value for key, value in envs[0].items() if key not in differing}
    for key in differing:
        joined[key] = functools.reduce(join, [env.get(key, UNKNOWN) for env in envs])
    return joined
