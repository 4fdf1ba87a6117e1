"""Python lambdas, and ``layers.Lambda(fn)`` layers whose ``fn`` is written in the file.

A ``lambda`` is a function like one made by ``def``: its body is one ``return``. Keras 3
works out a ``Lambda`` layer's output shape by running its function on symbolic tensors
(``Lambda.compute_output_shape`` without ``output_shape=``); tdlint runs it the same way,
twice with the dynamic axes set to two sizes, as for the user's own layers
(``tdlint.analysis.classes``). ``arguments={...}`` are passed as keywords. A ``Lambda`` has
no weights: Keras does not track the variables of layers its function uses.
"""

from __future__ import annotations

from typing import Any

import libcst as cst

from tdlint.analysis.classes import merged, placeholders, remembered, shapes_of
from tdlint.analysis.values import Function
from tdlint.keras.catalogue import Args
from tdlint.keras.layers.core import Lambda


class LambdaRunSpec(Lambda):
    """The catalogue entry of one ``Lambda`` layer whose function tdlint can run."""

    inputs_set_by_call = True  # a list given to the layer is a list of inputs
    multi_input = False

    def __init__(self, function: Function, runner: Any, node: cst.Call) -> None:
        self.function = function
        self.node = node  # the construction: ``Lambda(lambda x: x[:, 0])``
        self.runner = runner  # (spec, shapes, arguments) -> output shape(s), or None
        self.runs: dict[str, Any] = {}

    def output_shape(self, args: Args, x: Any) -> Any:
        if args.get("output_shape") is not None:
            # Written without the batch axis, which is the first input's (Keras 3's rule).
            return super().output_shape(args, x[0] if self.multi_input else x)
        return self._run(args, x)

    def _run(self, args: Args, shapes: Any) -> Any:
        arguments = args.get("arguments")
        if not (arguments is None or isinstance(arguments, dict)):
            return None  # keywords tdlint cannot read
        keywords = dict(arguments or {})
        return remembered(self.runs, shapes, lambda: self.runner(self, shapes, keywords))


class LambdaEvaluator:
    """Mixed into the interpreter: ``lambda`` expressions and the ``Lambda`` layers that
    run them."""

    call_function: Any
    run_twice: Any
    env: Any
    in_function: bool
    _lambda_defs: dict[int, cst.FunctionDef]
    globals: Any
    pending_functions: list[Any]

    def eval_lambda(self, node: cst.Lambda) -> Function:
        """``lambda x: x[:, 0]`` as the function ``def <lambda>(x): return x[:, 0]`` (made
        once per lambda, so that it is the same function each time it is evaluated)."""
        made = self._lambda_defs.get(id(node))
        if made is None:
            body = cst.IndentedBlock([cst.SimpleStatementLine([cst.Return(node.body)])])
            made = cst.FunctionDef(cst.Name("lambda"), node.params, body)
            self._lambda_defs[id(node)] = made
            # Its body is also analysed once on its own, as a function's is, whether or not
            # it is ever run: a Lambda layer with an output_shape, a loss given as a lambda.
            scope = self.env if self.in_function else self.globals
            self.pending_functions.append((made, scope, None))
        return Function(made, self.env if self.in_function else None)

    def lambda_layer_spec(self, spec: Any, args: Args, node: cst.Call) -> Any:
        """The entry for ``Lambda(fn)``: one that runs ``fn`` when it is a function of the
        file, the catalogue's otherwise."""
        function = args.get("function")
        if not isinstance(function, Function):
            return spec
        return LambdaRunSpec(function, self._run_lambda, node)

    def _run_lambda(self, spec: LambdaRunSpec, shapes: Any, keywords: dict[str, Any]) -> Any:
        def run_once(given: Any) -> Any:
            inputs = placeholders(given)
            return shapes_of(
                self.call_function(spec.function, [inputs], dict(keywords), False, spec.node)
            )

        runs = self.run_twice(shapes, run_once)
        return None if runs is None else merged(runs[0], runs[1])
