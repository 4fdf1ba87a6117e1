"""How real model files are written, for differential testing: the generated layers wrapped
in the code structures tdlint has to follow (``generate`` in ``generator.py`` picks one for
some functional programs, from a random stream of its own so that the other programs stay
as they were).

* a custom ``Layer`` class whose ``__init__`` makes the layers and whose ``call`` applies
  them (held in a list or in attributes, applied in a loop or one by one);
* a helper function that applies them, called with the tensor;
* a loop over the layers: a list with ``enumerate``, a dict's ``items()``, ``zip`` with
  ``range``;
* tensor ops between layers that keep the shape (``ops.relu(x)``, ``x * 0.5``, ``x + x``);
* a ``keras.applications`` backbone with ``weights=None`` on an image input.

Only runs of plain steps (one layer applied to the current tensor) are wrapped; merges,
attention and shared layers are written as ``Renderer.functional`` writes them.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from differential.generator import InputSpec, Renderer, Step

STRUCTURES = ("layer-class", "helper", "loop")
LOOPS = ("enumerate", "items", "zip")
OPS = ("ops.relu({x})", "{x} * 0.5", "{x} + {x}", "ops.abs({x})", "keras.ops.negative({x})")
P_OP = 0.3  # between two layers of a structured program
# keras.applications backbones that build quickly with weights=None (inputs of 32 or more).
BACKBONES = ("MobileNetV2", "MobileNet", "DenseNet121", "ResNet50V2", "EfficientNetB0", "VGG16")


def plain(step: Step) -> bool:
    return step.kind == "single" and not step.twice and not step.pair


@dataclass
class StructuredRenderer(Renderer):
    """``Renderer.functional``, with runs of plain steps wrapped in a structure."""

    backbone: str = ""

    def header(self) -> list[str]:
        lines = super().header()
        first = [] if "import keras" in lines else ["import keras"]
        return [*first, *lines, "from keras import ops"]

    def functional(self) -> list[str]:
        lines = [f"inputs = {self.new_input(self.main_input)}"]
        input_names, current = ["inputs"], "inputs"
        if self.backbone:
            return lines + self.backbone_head() + self.model_line(input_names, "x")
        index = 0
        while index < len(self.steps):
            run = self._run_from(index)
            if run and self.rng.random() < 0.7:
                current = self.wrap(index + 1, run, current, lines)
                index += len(run)
            else:
                current = self.apply_step(index + 1, self.steps[index], current, lines, input_names)
                index += 1
            if current != "inputs" and "[" not in current and self.rng.random() < P_OP:
                lines.append(f"x = {self.rng.choice(OPS).format(x=current)}")
                current = "x"
        return lines + self.model_line(input_names, current)

    def backbone_head(self) -> list[str]:
        """The backbone, then what a classifier puts on its features."""
        lines = [f"backbone = {self.backbone}", "x = backbone(inputs)"]
        if "pooling=None" in self.backbone:
            reduce = self.rng.choice(["GlobalAveragePooling2D", "Flatten", "GlobalMaxPooling2D"])
            lines.append(f"x = {self.qualify(reduce)}()(x)")
        units = self.rng.choice([1, 5, 10])
        return [*lines, f"x = {self.qualify('Dense')}({units})(x)"]

    def _run_from(self, start: int) -> list[Step]:
        run: list[Step] = []
        for step in self.steps[start:]:
            if not plain(step) or len(run) == 3:
                break
            run.append(step)
        return run

    def wrap(self, number: int, run: list[Step], current: str, lines: list[str]) -> str:
        made = [step.layer.render(self.qualify) for step in run]
        structure = self.rng.choice(STRUCTURES)
        if structure == "layer-class":
            lines[:0] = self.layer_class(number, made)
            lines.append(f"x = Block{number}()({current})")
        elif structure == "helper":
            body = [f"    x = {layer}(x)" for layer in made]
            lines[:0] = [f"def block{number}(x):", *body, "    return x", "", ""]
            lines.append(f"x = block{number}({current})")
        else:
            if current != "x":
                lines.append(f"x = {current}")
            lines += self.loop(number, made)
        return "x"

    def layer_class(self, number: int, made: list[str]) -> list[str]:
        base = self.qualify("Layer")
        head = [f"class Block{number}({base}):", "    def __init__(self, **kwargs):"]
        head.append("        super().__init__(**kwargs)")
        if self.rng.random() < 0.5:
            items = ", ".join(made)
            body = [f"        self.inner = [{items}]", "", "    def call(self, x):"]
            body += ["        for layer in self.inner:", "            x = layer(x)"]
        else:
            body = [f"        self.layer{i} = {layer}" for i, layer in enumerate(made)]
            body += ["", "    def call(self, x):"]
            body += [f"        x = self.layer{i}(x)" for i in range(len(made))]
        return [*head, *body, "        return x", "", ""]

    def loop(self, number: int, made: list[str]) -> list[str]:
        kind = self.rng.choice(LOOPS)
        items = ", ".join(made)
        if kind == "enumerate":
            return [f"for i, layer in enumerate([{items}]):", "    x = layer(x)"]
        if kind == "items":
            entries = ", ".join(f'"l{i}": {layer}' for i, layer in enumerate(made))
            stack = f"stack{number}"
            return [
                f"{stack} = {{{entries}}}",
                f"for name, layer in {stack}.items():",
                "    x = layer(x)",
            ]
        return [f"for layer, _ in zip([{items}], range({len(made)})):", "    x = layer(x)"]


def structured_renderer(seed: int, renderer: Renderer, input_kind: str) -> Renderer:
    """For about a third of the functional programs, a structured renderer (a few of them,
    on images, a backbone program instead); the renderer given for the others."""
    rng = random.Random(f"structure-{seed}")
    if renderer.code_style != "functional" or rng.random() >= 0.35:
        return renderer
    main_input, backbone = renderer.main_input, ""
    if input_kind == "image" and rng.random() < 0.25:
        name = rng.choice(BACKBONES)
        side = rng.choice([32, 48, 64])
        dims = (side, rng.choice([side, 40]), 3)
        main_input = InputSpec(dims)
        pooling = rng.choice(["None", '"avg"', '"max"'])
        backbone = (
            f"keras.applications.{name}(include_top=False, weights=None, "
            f"input_shape={dims!r}, pooling={pooling})"
        )
    return StructuredRenderer(
        rng, "functional", renderer.import_style, main_input, renderer.steps, backbone=backbone
    )
