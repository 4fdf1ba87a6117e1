"""A deterministic synthetic corpus for benchmarking tdlint.

It holds Keras model files in every API style tdlint understands (``Sequential`` lists and
``.add``, the functional API, subclassed models, model-building functions, loops that add
layers), spelled in every import style (``import keras``, ``from keras import layers``,
``from tensorflow.keras.layers import ...``, ``tf.keras.layers``, an ``L = tf.keras.layers``
alias, Keras 1 module paths), with data loading, training and helper code around the models;
and plain Python files that never mention Keras (utility modules, argparse scripts, data
classes), which tdlint's prefilter skips without parsing.

A few Keras files carry one of the mistakes tdlint reports (TDL001 Dense after an LSTM with
``return_sequences=True``, TDL002 Keras 1 ``TimeDistributedDense``, TDL003 ``TimeDistributed``
after an LSTM without ``return_sequences``); the manifest records which, so a benchmark can
check the findings it counted.

File ``i`` depends only on ``(seed, i)``: ``--files 400`` starts with the same 200 files as
``--files 200``. Run it alone to look at a corpus:

    python benchmarks/corpus.py /tmp/synthetic --files 50
"""

from __future__ import annotations

import argparse
import ast
import json
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from string import Template

MIN_LINES, MAX_LINES = 50, 600
MISTAKE_RATE = 0.1  # share of Keras files that carry one shape mistake

API_STYLES = ("sequential_list", "sequential_add", "functional", "subclassed", "builder")
KERAS1_API_STYLES = ("sequential_list", "sequential_add", "functional", "builder")
IMPORT_STYLES = (
    "keras",  # import keras; keras.layers.Dense
    "keras_layers",  # from keras import layers; layers.Dense
    "keras_names",  # from keras.layers import Dense
    "tf",  # import tensorflow as tf; tf.keras.layers.Dense
    "tf_alias",  # L = tf.keras.layers; L.Dense
    "tf_keras_layers",  # from tensorflow import keras; from tensorflow.keras import layers
    "tf_names",  # from tensorflow.keras.layers import Dense
    "keras1",  # from keras.layers.core import Dense (Keras 1 paths and argument names)
)
KERAS3_STYLES = frozenset({"keras", "keras_layers", "keras_names"})

# Keras 1 spelled its layers from these submodules of keras.layers.
KERAS1_MODULES = {
    "Activation": "core",
    "Dense": "core",
    "Dropout": "core",
    "Flatten": "core",
    "RepeatVector": "core",
    "TimeDistributedDense": "core",
    "GRU": "recurrent",
    "LSTM": "recurrent",
    "SimpleRNN": "recurrent",
    "Convolution1D": "convolutional",
    "Convolution2D": "convolutional",
    "MaxPooling1D": "convolutional",
    "MaxPooling2D": "convolutional",
    "GlobalMaxPooling1D": "pooling",
    "Embedding": "embeddings",
    "BatchNormalization": "normalization",
    "Bidirectional": "wrappers",
    "TimeDistributed": "wrappers",
}
TOP_LEVEL = frozenset({"Input", "Model", "Sequential"})  # keras.Input, tf.keras.Model, ...


class Code(str):
    """Python source used verbatim (a name or an expression), not a string literal."""


@dataclass(frozen=True)
class Layer:
    kind: str  # the Keras 2/3 class name; Keras 1 spellings are derived from it
    args: tuple[object, ...] = ()
    kwargs: tuple[tuple[str, object], ...] = ()

    def with_kwarg(self, key: str, value: object) -> Layer:
        return replace(self, kwargs=(*self.kwargs, (key, value)))


def layer(kind: str, *args: object, **kwargs: object) -> Layer:
    return Layer(kind, args, tuple(kwargs.items()))


@dataclass(frozen=True)
class Repeat:
    """Layers built in a loop, ``for var in values: body(var)``, or spelled out where a loop
    cannot go (a Sequential list)."""

    var: str
    values: tuple[int, ...]
    body: Callable[[object], list[Layer]]

    def expand(self) -> list[Layer]:
        return [lyr for value in self.values for lyr in self.body(value)]


Item = Layer | Repeat


@dataclass
class Arch:
    """One model: its input, its layers, and what the code around it needs."""

    name: str
    data: str  # images | tokens | vectors | series | chars
    input_shape: tuple[object, ...]
    items: list[Item]
    loss: str
    consts: dict[str, int]
    expected: tuple[str, ...] = ()  # rule codes tdlint should report


@dataclass(frozen=True)
class GeneratedFile:
    path: str
    lines: int
    keras: bool
    api_styles: tuple[str, ...] = ()
    import_style: str | None = None
    loops: bool = False
    expected: tuple[str, ...] = ()


@dataclass
class Manifest:
    seed: int
    keras_ratio: float
    files: list[GeneratedFile] = field(default_factory=list)

    def expected_findings(self) -> Counter[str]:
        return Counter(code for f in self.files for code in f.expected)

    def summary(self) -> dict[str, object]:
        keras = [f for f in self.files if f.keras]
        return {
            "files": len(self.files),
            "keras_files": len(keras),
            "lines": sum(f.lines for f in self.files),
            "api_styles": dict(Counter(s for f in keras for s in f.api_styles)),
            "import_styles": dict(Counter(f.import_style for f in keras)),
            "files_with_loops": sum(f.loops for f in keras),
            "expected_findings": dict(sorted(self.expected_findings().items())),
        }


# --- spelling Keras names in one import style -------------------------------------------------


class Spelling:
    """How one file spells Keras names; collects the imports that the spelling needs."""

    def __init__(self, style: str) -> None:
        self.style = style
        self.keras1 = style == "keras1"
        self._from: dict[str, set[str]] = {}
        self._plain: set[str] = set()

    def name(self, module: str, name: str) -> str:
        """``module`` is a keras submodule: layers, models, callbacks, optimizers, datasets,
        utils."""
        style = self.style
        if self.keras1:
            return self._keras1_name(module, name)
        if style in ("keras_names", "tf_names"):
            root = "keras" if style == "keras_names" else "tensorflow.keras"
            self._from.setdefault(f"{root}.{module}", set()).add(name)
            return name
        if style in ("keras", "keras_layers", "tf_keras_layers"):
            self._plain.add("from tensorflow import keras" if style[:2] == "tf" else "import keras")
            prefix = "keras"
        else:
            self._plain.add("import tensorflow as tf")
            prefix = "tf.keras"
        if module == "layers" and name not in TOP_LEVEL:
            if style in ("keras_layers", "tf_keras_layers"):
                root = "keras" if style == "keras_layers" else "tensorflow.keras"
                self._from.setdefault(root, set()).add("layers")
                return f"layers.{name}"
            if style == "tf_alias":
                return f"L.{name}"
        if name in TOP_LEVEL:
            return f"{prefix}.{name}"
        return f"{prefix}.{module}.{name}"

    def _keras1_name(self, module: str, name: str) -> str:
        if module == "utils" and name == "to_categorical":
            self._from.setdefault("keras.utils", set()).add("np_utils")
            return "np_utils.to_categorical"
        if module == "layers" and name in KERAS1_MODULES:
            module = f"layers.{KERAS1_MODULES[name]}"
        self._from.setdefault(f"keras.{module}", set()).add(name)
        return name

    def layer(self, lyr: Layer) -> str:
        if self.keras1:
            lyr = _to_keras1(lyr)
        args = [self.expr(a) for a in lyr.args]
        args += [f"{key}={self.expr(value)}" for key, value in lyr.kwargs]
        return f"{self.name('layers', lyr.kind)}({', '.join(args)})"

    def expr(self, value: object) -> str:
        if isinstance(value, Layer):
            return self.layer(value)
        if isinstance(value, Code):
            return str(value)
        if isinstance(value, str):
            return f'"{value}"'
        if isinstance(value, tuple):
            inner = ", ".join(self.expr(v) for v in value)
            return f"({inner},)" if len(value) == 1 else f"({inner})"
        return repr(value)

    def imports(self) -> list[str]:
        lines = sorted(self._plain, key=lambda s: (not s.startswith("import"), s))
        for module in sorted(self._from):
            names = ", ".join(sorted(self._from[module]))
            lines.append(f"from {module} import {names}")
        if self.style == "tf_alias":
            lines += ["", "L = tf.keras.layers"]
        return lines


def _to_keras1(lyr: Layer) -> Layer:
    """Keras 1 names and arguments: Convolution2D(32, 3, 3, border_mode="same"), init=..."""
    renames = {"padding": "border_mode", "kernel_initializer": "init", "rate": "p"}
    kwargs = tuple((renames.get(k, k), v) for k, v in lyr.kwargs)
    args = tuple(_to_keras1(a) if isinstance(a, Layer) else a for a in lyr.args)
    if lyr.kind == "Conv2D":
        size = args[1][0] if isinstance(args[1], tuple) else args[1]
        return Layer("Convolution2D", (args[0], size, size), kwargs)
    if lyr.kind == "Conv1D":
        return Layer("Convolution1D", args, kwargs)
    return Layer(lyr.kind, args, kwargs)


# --- model architectures ----------------------------------------------------------------------


def _activation(rng: random.Random) -> str:
    return rng.choice(("relu", "relu", "relu", "tanh", "elu", "selu"))


def _mlp(rng: random.Random, mistake: str | None) -> Arch:
    act = _activation(rng)
    hidden = tuple(sorted(rng.sample((512, 256, 128, 64, 32), rng.randint(1, 3)), reverse=True))
    rate = rng.choice((0.1, 0.2, 0.3, 0.5))
    return Arch(
        name=rng.choice(("mlp_classifier", "tabular_net", "dense_classifier", "feature_mlp")),
        data="vectors",
        input_shape=(Code("NUM_FEATURES"),),
        items=[
            layer("Dense", hidden[0] * 2, activation=act),
            Repeat(
                "units",
                hidden,
                lambda u: [layer("Dense", u, activation=act), layer("Dropout", rate)],
            ),
            layer("Dense", Code("NUM_CLASSES"), activation="softmax"),
        ],
        loss="categorical_crossentropy",
        consts={"NUM_FEATURES": rng.choice((20, 64, 100, 784)), "NUM_CLASSES": rng.randint(2, 20)},
    )


def _cnn(rng: random.Random, mistake: str | None) -> Arch:
    side, channels = rng.choice(((28, 1), (32, 3), (64, 3), (96, 3)))
    filters = (64, 128, 256)[: rng.randint(1, 3)]
    batch_norm = rng.random() < 0.5

    def block(f: object) -> list[Layer]:
        conv = layer("Conv2D", f, (3, 3), activation="relu", padding="same")
        norm = [layer("BatchNormalization")] if batch_norm else []
        return [conv, *norm, layer("MaxPooling2D", (2, 2))]

    return Arch(
        name=rng.choice(("image_classifier", "mnist_cnn", "cifar_convnet", "small_vgg")),
        data="images",
        input_shape=(side, side, channels),
        items=[
            layer("Conv2D", 32, (3, 3), activation="relu", padding="same"),
            Repeat("filters", filters, block),
            layer("Flatten"),
            layer("Dense", rng.choice((128, 256, 512)), activation="relu"),
            layer("Dropout", 0.5),
            layer("Dense", Code("NUM_CLASSES"), activation="softmax"),
        ],
        loss="categorical_crossentropy",
        consts={"NUM_CLASSES": rng.choice((10, 10, 100))},
    )


def _text_cnn(rng: random.Random, mistake: str | None) -> Arch:
    kernel = rng.choice((3, 5, 7))
    filters = (64, 128, 128, 256)[: rng.randint(1, 3)]
    return Arch(
        name=rng.choice(("text_cnn", "review_convnet", "imdb_cnn")),
        data="tokens",
        input_shape=(Code("MAXLEN"),),
        items=[
            layer("Embedding", Code("VOCAB_SIZE"), rng.choice((32, 64, 128))),
            layer("Dropout", 0.2),
            Repeat(
                "filters",
                filters,
                lambda f: [layer("Conv1D", f, kernel, activation="relu", padding="same")],
            ),
            layer("GlobalMaxPooling1D"),
            layer("Dense", rng.choice((64, 128, 250)), activation="relu"),
            layer("Dense", 1, activation="sigmoid"),
        ],
        loss="binary_crossentropy",
        consts={"MAXLEN": rng.choice((80, 100, 200, 400)), "VOCAB_SIZE": 20_000},
    )


def _rnn(rng: random.Random, mistake: str | None) -> Arch:
    cell = rng.choice(("LSTM", "LSTM", "GRU"))
    units = rng.choice((32, 64, 128))
    stacked = (units * 2,) * rng.randint(1, 2)
    last = layer(cell, units, return_sequences=True) if mistake == "TDL001" else layer(cell, units)
    return Arch(
        name=rng.choice(("sentiment_rnn", "imdb_lstm", "review_classifier", "spam_filter")),
        data="tokens",
        input_shape=(Code("MAXLEN"),),
        items=[
            layer("Embedding", Code("VOCAB_SIZE"), rng.choice((64, 128))),
            Repeat("units", stacked, lambda u: [layer(cell, u, return_sequences=True)]),
            last,
            layer("Dropout", rng.choice((0.2, 0.3, 0.5))),
            layer("Dense", 1, activation="sigmoid"),
        ],
        loss="binary_crossentropy",
        consts={"MAXLEN": rng.choice((80, 100, 200)), "VOCAB_SIZE": 20_000},
        expected=("TDL001",) if mistake == "TDL001" else (),
    )


def _tagger(rng: random.Random, mistake: str | None) -> Arch:
    units = rng.choice((32, 64, 128))
    return Arch(
        name=rng.choice(("pos_tagger", "ner_tagger", "sequence_labeller")),
        data="tags",
        input_shape=(Code("MAXLEN"),),
        items=[
            layer("Embedding", Code("VOCAB_SIZE"), 128),
            Repeat(
                "units",
                (units,) * rng.randint(1, 2),
                lambda u: [layer("Bidirectional", layer("LSTM", u, return_sequences=True))],
            ),
            layer("Dropout", 0.3),
            layer("TimeDistributed", layer("Dense", Code("NUM_TAGS"), activation="softmax")),
        ],
        loss="categorical_crossentropy",
        consts={"MAXLEN": rng.choice((50, 75, 100)), "VOCAB_SIZE": 10_000, "NUM_TAGS": 17},
    )


def _seq2seq(rng: random.Random, mistake: str | None) -> Arch:
    hidden = rng.choice((64, 128, 256))
    head: Layer = layer("TimeDistributed", layer("Dense", Code("VOCAB")))
    if mistake == "TDL002":
        head = layer("TimeDistributedDense", Code("VOCAB"))
    items: list[Item] = [layer("LSTM", hidden)]
    if mistake != "TDL003":  # TDL003 forgot the RepeatVector and the decoder
        items += [
            layer("RepeatVector", Code("DIGITS + 1")),
            Repeat(
                "units",
                (hidden,) * rng.randint(1, 2),
                lambda u: [layer("LSTM", u, return_sequences=True)],
            ),
        ]
    items += [head, layer("Activation", "softmax")]
    return Arch(
        name=rng.choice(("addition_rnn", "digit_reverser", "seq2seq_calculator")),
        data="chars",
        input_shape=(Code("MAXLEN"), Code("VOCAB")),
        items=items,
        loss="categorical_crossentropy",
        consts={"DIGITS": rng.choice((3, 4, 5)), "VOCAB": 12, "MAXLEN": 7},
        expected=(mistake,) if mistake in ("TDL002", "TDL003") else (),
    )


def _forecast(rng: random.Random, mistake: str | None) -> Arch:
    cell = rng.choice(("GRU", "LSTM", "SimpleRNN"))
    return Arch(
        name=rng.choice(("forecaster", "weather_rnn", "sensor_regressor")),
        data="series",
        input_shape=(Code("WINDOW"), Code("NUM_SENSORS")),
        items=[
            layer(cell, 64, return_sequences=True),
            Repeat(
                "units",
                (32,) * rng.randint(1, 2),
                lambda u: [layer(cell, u, return_sequences=True)],
            ),
            layer(cell, 16),
            layer("Dense", 1),
        ],
        loss="mse",
        consts={"WINDOW": rng.choice((24, 48, 120)), "NUM_SENSORS": rng.randint(1, 14)},
    )


def _autoencoder(rng: random.Random, mistake: str | None) -> Arch:
    sizes = (256, 128, 64)[: rng.randint(2, 3)]
    return Arch(
        name=rng.choice(("dense_autoencoder", "denoiser", "compressor")),
        data="vectors",
        input_shape=(Code("NUM_FEATURES"),),
        items=[
            layer("Dense", 512, activation="relu"),
            Repeat("units", sizes, lambda u: [layer("Dense", u, activation="relu")]),
            layer("Dense", Code("LATENT_DIM"), activation="relu", name="bottleneck"),
            Repeat("units", sizes[::-1], lambda u: [layer("Dense", u, activation="relu")]),
            layer("Dense", Code("NUM_FEATURES"), activation="sigmoid"),
        ],
        loss="mse",
        consts={"NUM_FEATURES": 784, "LATENT_DIM": rng.choice((16, 32)), "NUM_CLASSES": 10},
    )


ARCHS: dict[str, Callable[[random.Random, str | None], Arch]] = {
    "mlp": _mlp,
    "cnn": _cnn,
    "text_cnn": _text_cnn,
    "rnn": _rnn,
    "tagger": _tagger,
    "seq2seq": _seq2seq,
    "forecast": _forecast,
    "autoencoder": _autoencoder,
}
MISTAKE_ARCHS = {"TDL001": "rnn", "TDL002": "seq2seq", "TDL003": "seq2seq"}


# --- rendering a model in one API style -------------------------------------------------------


def _camel(snake: str) -> str:
    return "".join(part.capitalize() for part in snake.split("_"))


def _has_loop(items: list[Item]) -> bool:
    return any(isinstance(item, Repeat) for item in items)


def _with_input_kwarg(arch: Arch) -> list[Item]:
    """The layer list with ``input_shape=`` on the first layer (Keras 1/2 style)."""
    first, *rest = arch.items
    assert isinstance(first, Layer)
    return [first.with_kwarg("input_shape", arch.input_shape), *rest]


def _input(arch: Arch, sp: Spelling) -> str:
    return f"{sp.name('layers', 'Input')}(shape={sp.expr(arch.input_shape)})"


def _sequential_list(arch: Arch, sp: Spelling, var: str, input_kwarg: bool) -> list[str]:
    items = _with_input_kwarg(arch) if input_kwarg else arch.items
    layers = [] if input_kwarg else [_input(arch, sp)]
    for item in items:
        expanded = item.expand() if isinstance(item, Repeat) else [item]
        layers += [sp.layer(lyr) for lyr in expanded]
    name = "" if sp.keras1 else f', name="{arch.name}"'
    body = [f"        {text}," for text in layers]
    return [f"{var} = {sp.name('models', 'Sequential')}(", "    [", *body, f"    ]{name}", ")"]


def _sequential_add(
    arch: Arch, sp: Spelling, var: str, input_kwarg: bool, indent: str = ""
) -> list[str]:
    items = _with_input_kwarg(arch) if input_kwarg else arch.items
    lines = [f"{indent}{var} = {sp.name('models', 'Sequential')}()"]
    if not input_kwarg:
        lines.append(f"{indent}{var}.add({_input(arch, sp)})")
    for item in items:
        if isinstance(item, Repeat):
            lines.append(f"{indent}for {item.var} in {sp.expr(item.values)}:")
            lines += [
                f"{indent}    {var}.add({sp.layer(lyr)})" for lyr in item.body(Code(item.var))
            ]
        else:
            lines.append(f"{indent}{var}.add({sp.layer(item)})")
    return lines


def _functional(arch: Arch, sp: Spelling, var: str, indent: str = "") -> list[str]:
    lines = [f"{indent}inputs = {_input(arch, sp)}"]
    current = "inputs"
    for item in arch.items[:-1]:
        if isinstance(item, Repeat):
            lines.append(f"{indent}for {item.var} in {sp.expr(item.values)}:")
            for lyr in item.body(Code(item.var)):
                lines.append(f"{indent}    x = {sp.layer(lyr)}({current})")
                current = "x"
        else:
            lines.append(f"{indent}x = {sp.layer(item)}({current})")
            current = "x"
    last = arch.items[-1]
    assert isinstance(last, Layer)
    lines.append(f"{indent}outputs = {sp.layer(last)}({current})")
    if sp.keras1:
        args = "input=inputs, output=outputs"
    else:
        args = f'inputs=inputs, outputs=outputs, name="{arch.name}"'
    lines.append(f"{indent}{var} = {sp.name('models', 'Model')}({args})")
    return lines


def _subclassed(arch: Arch, sp: Spelling, var: str) -> list[str]:
    cls = _camel(arch.name)
    init: list[str] = []
    call: list[str] = []
    counts: Counter[str] = Counter()

    def attr(kind: str) -> str:
        counts[kind] += 1
        return f"{kind.lower()}_{counts[kind]}"

    first = True
    for item in arch.items:
        if isinstance(item, Repeat) and len(item.body(0)) == 1:
            name = f"{item.var}_blocks"
            built = sp.layer(item.body(Code("n"))[0])
            init.append(f"        self.{name} = [{built} for n in {sp.expr(item.values)}]")
            call += [f"        for block in self.{name}:", "            x = block(x)"]
            continue
        for lyr in item.expand() if isinstance(item, Repeat) else [item]:
            name = attr(lyr.kind)
            init.append(f"        self.{name} = {sp.layer(lyr)}")
            source = "inputs" if first else "x"
            training = ", training=training" if lyr.kind == "Dropout" else ""
            call.append(f"        x = self.{name}({source}{training})")
            first = False
    return [
        f"class {cls}({sp.name('models', 'Model')}):",
        f'    """The {arch.name.replace("_", " ")} as a subclassed model."""',
        "",
        "    def __init__(self, **kwargs):",
        "        super().__init__(**kwargs)",
        *init,
        "",
        "    def call(self, inputs, training=False):",
        *call,
        "        return x",
        "",
        "",
        f'{var} = {cls}(name="{arch.name}")',
        f"{var}.build((None, {', '.join(sp.expr(d) for d in arch.input_shape)}))",
    ]


def _builder(
    arch: Arch, sp: Spelling, var: str, rng: random.Random, input_kwarg: bool
) -> list[str]:
    func = f"build_{arch.name}"
    optimizer = sp.name("optimizers", "Adam")
    lr = "lr" if sp.keras1 else "learning_rate"
    lines = [
        f"def {func}(learning_rate=1e-3):",
        f'    """Build and compile the {arch.name.replace("_", " ")}."""',
    ]
    if rng.random() < 0.5:
        lines += _sequential_add(arch, sp, "model", input_kwarg, indent="    ")
    else:
        lines += _functional(arch, sp, "model", indent="    ")
    lines += [
        "    model.compile(",
        f"        optimizer={optimizer}({lr}=learning_rate),",
        f'        loss="{arch.loss}",',
        '        metrics=["accuracy"],' if arch.loss != "mse" else '        metrics=["mae"],',
        "    )",
        "    return model",
        "",
        "",
        f"{var} = {func}()",
    ]
    return lines


def render_model(arch: Arch, sp: Spelling, api: str, var: str, rng: random.Random) -> list[str]:
    keras3 = sp.style in KERAS3_STYLES
    input_kwarg = sp.keras1 or (not keras3 and rng.random() < 0.5)
    if api == "sequential_list":
        return _sequential_list(arch, sp, var, input_kwarg)
    if api == "sequential_add":
        return _sequential_add(arch, sp, var, input_kwarg)
    if api == "functional":
        return _functional(arch, sp, var)
    if api == "subclassed":
        return _subclassed(arch, sp, var)
    return _builder(arch, sp, var, rng, input_kwarg)


# --- code around the models -------------------------------------------------------------------


@dataclass
class Section:
    lines: list[str]
    imports: set[str] = field(default_factory=set)

    def __len__(self) -> int:
        return len(self.lines) + 2  # two blank lines between top-level blocks


def _template(text: str, **values: object) -> list[str]:
    return Template(text.strip("\n")).substitute(values).splitlines()


# Plain-Python helpers: (imports, template). $name is the function or class name, $n a number.
HelperText = tuple[tuple[str, ...], str]  # (imports, template text)
HELPERS: list[HelperText] = [
    (
        (),
        '''
def $name(items, size=$n):
    """Yield successive lists of at most ``size`` items."""
    batch = []
    for item in items:
        batch.append(item)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch
''',
    ),
    (
        ("import functools", "import time"),
        '''
def $name(attempts=$n, delay=0.5, exceptions=(OSError,)):
    """Retry the decorated function with exponential backoff."""

    def decorate(func):
        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            wait = delay
            for attempt in range(attempts):
                try:
                    return func(*args, **kwargs)
                except exceptions:
                    if attempt == attempts - 1:
                        raise
                    time.sleep(wait)
                    wait *= 2
            return None

        return wrapper

    return decorate
''',
    ),
    (
        ("import json", "from pathlib import Path"),
        '''
def $name(path, default=None):
    """Read a JSON document, or return ``default`` when the file is missing."""
    path = Path(path)
    if not path.exists():
        return default
    with path.open(encoding="utf-8") as handle:
        return json.load(handle)


def save_$name(path, data, indent=$n):
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=indent, sort_keys=True), encoding="utf-8")
''',
    ),
    (
        ("import contextlib", "import time"),
        '''
@contextlib.contextmanager
def $name(label, sink=print):
    """Report how long the block took."""
    start = time.perf_counter()
    try:
        yield
    finally:
        elapsed = time.perf_counter() - start
        sink(f"{label}: {elapsed * 1000:.${n}f} ms")
''',
    ),
    (
        ("import re",),
        '''
_NON_WORD_$n = re.compile(r"[^a-z0-9]+")


def $name(text, max_length=${n}0):
    """A lowercase, dash-separated version of ``text`` for file names and URLs."""
    slug = _NON_WORD_$n.sub("-", text.lower()).strip("-")
    return slug[:max_length].rstrip("-") or "untitled"
''',
    ),
    (
        (),
        '''
def $name(mapping, prefix="", separator="."):
    """Flatten nested dictionaries: {"a": {"b": 1}} -> {"a.b": 1}."""
    flat = {}
    for key, value in mapping.items():
        full_key = f"{prefix}{separator}{key}" if prefix else str(key)
        if isinstance(value, dict) and value:
            flat.update($name(value, full_key, separator))
        else:
            flat[full_key] = value
    return flat
''',
    ),
    (
        ("import os",),
        '''
def $name(root, suffixes=(".txt", ".csv"), skip_hidden=True):
    """Every file under ``root`` whose name ends with one of ``suffixes``, sorted."""
    found = []
    for dirpath, dirnames, filenames in os.walk(root):
        if skip_hidden:
            dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for filename in filenames:
            if filename.endswith(suffixes):
                found.append(os.path.join(dirpath, filename))
    return sorted(found)[: ${n}000]
''',
    ),
    (
        (),
        '''
def $name(values, window=$n):
    """Simple moving average; the first ``window - 1`` points average what they have."""
    averages = []
    total = 0.0
    for index, value in enumerate(values):
        total += value
        if index >= window:
            total -= values[index - window]
        averages.append(total / min(index + 1, window))
    return averages
''',
    ),
    (
        (),
        '''
def $name(lines, comment="#"):
    """Parse ``key = value`` lines into a dict; later keys win."""
    settings = {}
    for number, raw in enumerate(lines, start=1):
        line = raw.split(comment, 1)[0].strip()
        if not line:
            continue
        if "=" not in line:
            raise ValueError(f"line {number}: expected key = value, got {raw!r}")
        key, value = (part.strip() for part in line.split("=", 1))
        if value.isdigit():
            value = int(value)
        elif value.lower() in ("true", "false"):
            value = value.lower() == "true"
        settings[key] = value
    return settings
''',
    ),
    (
        ("from collections import OrderedDict",),
        '''
class $name:
    """A small least-recently-used cache."""

    def __init__(self, capacity=${n}00):
        self.capacity = capacity
        self._data = OrderedDict()
        self.hits = 0
        self.misses = 0

    def get(self, key, default=None):
        if key in self._data:
            self._data.move_to_end(key)
            self.hits += 1
            return self._data[key]
        self.misses += 1
        return default

    def put(self, key, value):
        self._data[key] = value
        self._data.move_to_end(key)
        while len(self._data) > self.capacity:
            self._data.popitem(last=False)

    def __len__(self):
        return len(self._data)

    def __contains__(self, key):
        return key in self._data
''',
    ),
    (
        ("from dataclasses import asdict, dataclass, field",),
        '''
@dataclass
class $name:
    """One record as stored on disk."""

    identifier: str
    title: str = ""
    score: float = 0.0
    tags: list = field(default_factory=list)
    version: int = $n

    def __post_init__(self):
        if not self.identifier:
            raise ValueError("identifier must not be empty")
        self.tags = sorted(set(self.tags))

    @classmethod
    def from_dict(cls, data):
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)

    def to_dict(self):
        return asdict(self)

    def is_better_than(self, other):
        return (self.score, self.version) > (other.score, other.version)
''',
    ),
    (
        ("import enum",),
        '''
class ${name}State(enum.Enum):
    IDLE = "idle"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class $name:
    """A job that moves through its states in order."""

    TRANSITIONS = {
        ${name}State.IDLE: {${name}State.RUNNING},
        ${name}State.RUNNING: {${name}State.DONE, ${name}State.FAILED},
        ${name}State.FAILED: {${name}State.IDLE},
    }

    def __init__(self, name, retries=$n):
        self.name = name
        self.retries = retries
        self.state = ${name}State.IDLE
        self.history = [self.state]

    def move(self, state):
        if state not in self.TRANSITIONS.get(self.state, set()):
            raise RuntimeError(f"{self.name}: cannot go from {self.state} to {state}")
        self.state = state
        self.history.append(state)

    def fail(self):
        self.move(${name}State.FAILED)
        if self.retries > 0:
            self.retries -= 1
            self.move(${name}State.IDLE)
''',
    ),
    (
        ("import logging", "import sys"),
        '''
def $name(verbosity=0, stream=None):
    """Configure the root logger: warnings by default, more with each -v."""
    level = max(logging.DEBUG, logging.WARNING - 10 * verbosity)
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)-8s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers[:] = [handler]
    root.setLevel(level)
    return logging.getLogger("app.$name$n")
''',
    ),
    (
        ("import csv", "import statistics"),
        '''
def $name(path, column, delimiter=","):
    """Count, mean and spread of one numeric column of a CSV file."""
    values = []
    with open(path, newline="", encoding="utf-8") as handle:
        for row in csv.DictReader(handle, delimiter=delimiter):
            try:
                values.append(float(row[column]))
            except (KeyError, ValueError):
                continue
    if len(values) < 2:
        return {"count": len(values)}
    return {
        "count": len(values),
        "mean": statistics.fmean(values),
        "stdev": statistics.stdev(values),
        "p${n}0": statistics.quantiles(values, n=100)[${n}0 - 1],
    }
''',
    ),
    (
        ("from collections import Counter",),
        '''
def $name(texts, top=${n}0, min_length=3):
    """The most common words across ``texts``."""
    counts = Counter()
    for text in texts:
        words = (w.strip(".,;:!?()[]\\"'").lower() for w in text.split())
        counts.update(w for w in words if len(w) >= min_length)
    return counts.most_common(top)
''',
    ),
    (
        (),
        '''
class $name:
    """A bounded queue that drops the oldest item when full."""

    def __init__(self, maxsize=${n}0):
        self.maxsize = maxsize
        self._items = []
        self.dropped = 0

    def push(self, item):
        if len(self._items) >= self.maxsize:
            self._items.pop(0)
            self.dropped += 1
        self._items.append(item)

    def pop(self):
        if not self._items:
            raise IndexError("pop from an empty queue")
        return self._items.pop(0)

    def peek(self):
        return self._items[0] if self._items else None

    def __len__(self):
        return len(self._items)

    def __iter__(self):
        return iter(list(self._items))
''',
    ),
]

CLASS_HELPERS = [h for h in HELPERS if h[1].lstrip().startswith(("class", "@dataclass"))]

# Numpy helpers that sit beside Keras models.
NUMPY = ("import numpy as np",)
NUMPY_HELPERS: list[HelperText] = [
    (
        NUMPY,
        '''
def $name(x, eps=1e-$n):
    """Standardise features to zero mean and unit variance, column by column."""
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    return (x - mean) / (std + eps), mean, std
''',
    ),
    (
        NUMPY,
        '''
def $name(labels, num_classes):
    """One-hot encode integer labels."""
    labels = np.asarray(labels, dtype="int64").ravel()
    encoded = np.zeros((labels.shape[0], num_classes), dtype="float32")
    encoded[np.arange(labels.shape[0]), labels] = 1.0
    return encoded
''',
    ),
    (
        NUMPY,
        '''
def $name(x, y, validation_fraction=0.$n, seed=1337):
    """Shuffle and split arrays into a training and a validation part."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(x))
    cut = int(len(x) * (1 - validation_fraction))
    train, val = order[:cut], order[cut:]
    return (x[train], y[train]), (x[val], y[val])
''',
    ),
    (
        NUMPY,
        '''
def $name(x, y, batch_size=2**$n, shuffle=True):
    """Yield batches forever, reshuffling after each pass."""
    indices = np.arange(len(x))
    while True:
        if shuffle:
            np.random.shuffle(indices)
        for start in range(0, len(indices) - batch_size + 1, batch_size):
            batch = indices[start : start + batch_size]
            yield x[batch], y[batch]
''',
    ),
    (
        NUMPY,
        '''
def $name(sequences, maxlen, value=0):
    """Pad or truncate integer sequences at the front to ``maxlen``."""
    padded = np.full((len(sequences), maxlen), value, dtype="int32")
    for row, seq in enumerate(sequences):
        trimmed = list(seq)[-maxlen:]
        if trimmed:
            padded[row, -len(trimmed) :] = trimmed
    return padded
''',
    ),
    (
        NUMPY,
        '''
def $name(history, metric="loss", path="history_$n.png"):
    """Plot a training curve and its validation twin."""
    import matplotlib.pyplot as plt

    plt.figure(figsize=(8, 5))
    plt.plot(history.history[metric], label=f"train {metric}")
    val_key = f"val_{metric}"
    if val_key in history.history:
        plt.plot(history.history[val_key], label=f"validation {metric}")
    plt.xlabel("epoch")
    plt.ylabel(metric)
    plt.legend()
    plt.savefig(path)
    plt.close()
''',
    ),
    (
        NUMPY,
        '''
def $name(y_true, y_prob, k=$n):
    """Share of rows whose true class is among the ``k`` most probable."""
    top = np.argsort(y_prob, axis=-1)[:, -k:]
    labels = np.asarray(y_true).reshape(-1, 1)
    return float(np.mean(np.any(top == labels, axis=1)))
''',
    ),
    (
        NUMPY,
        '''
class $name:
    """Encode strings as one-hot character matrices and decode them back."""

    def __init__(self, chars):
        self.chars = sorted(set(chars))
        self.char_indices = {c: i for i, c in enumerate(self.chars)}
        self.indices_char = {i: c for i, c in enumerate(self.chars)}

    def encode(self, text, num_rows):
        x = np.zeros((num_rows, len(self.chars)), dtype="float32")
        for i, c in enumerate(text):
            x[i, self.char_indices[c]] = 1.0
        return x

    def decode(self, x, calc_argmax=True):
        if calc_argmax:
            x = x.argmax(axis=-1)
        return "".join(self.indices_char[int(i)] for i in x)
''',
    ),
]

_WORDS_TEXT = """
alpha batch cache chunk config cursor delta entry event frame graph index item job key label
layout ledger matrix node order packet queue record report sample schema score session signal
span stage table task token trace window worker
"""
WORDS = tuple(_WORDS_TEXT.split())


def _ident(rng: random.Random, used: set[str], capital: bool = False) -> str:
    while True:
        words = rng.sample(WORDS, 2)
        name = "".join(w.capitalize() for w in words) if capital else "_".join(words)
        if name not in used:
            used.add(name)
            return name


class Helpers:
    """Helper sections for one file, drawn from shuffled decks so that a template comes back
    only once all the others were used."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.used: set[str] = set()
        self._decks: dict[str, list[HelperText]] = {}

    def plain(self, classes: bool = False) -> Section:
        """A plain-Python function or class; mostly classes when ``classes``."""
        if classes and self.rng.random() < 0.7:
            return self._draw("classes", CLASS_HELPERS)
        return self._draw("plain", HELPERS)

    def numpy(self) -> Section:
        return self._draw("numpy", NUMPY_HELPERS)

    def any(self) -> Section:
        return self.numpy() if self.rng.random() < 0.4 else self.plain()

    def _draw(self, deck: str, templates: list[HelperText]) -> Section:
        pending = self._decks.setdefault(deck, [])
        if not pending:
            pending += self.rng.sample(templates, len(templates))
        imports, text = pending.pop()
        capital = text.lstrip().startswith(("class", "@dataclass"))
        name = _ident(self.rng, self.used, capital)
        return Section(_template(text, name=name, n=self.rng.randint(2, 9)), set(imports))


def _docstring(title: str, rng: random.Random) -> list[str]:
    paragraphs = [
        "The data is loaded, normalised and split before training; the best weights are kept.",
        "Hyperparameters were picked by hand on the validation split and are not tuned.",
        "Run with --help to see the options; defaults reproduce the numbers in the README.",
        "Reference: the classic Keras examples, rewritten for this project.",
    ]
    body = rng.sample(paragraphs, rng.randint(1, 3))
    return ['"""' + title, "", *body, '"""']


def _constants(consts: dict[str, int], rng: random.Random) -> list[str]:
    lines = [f"{name} = {value}" for name, value in sorted(consts.items())]
    lines += [
        f"BATCH_SIZE = {rng.choice((32, 64, 128, 256))}",
        f"EPOCHS = {rng.choice((5, 10, 20, 50))}",
        f"SEED = {rng.choice((0, 42, 1337))}",
    ]
    return lines


def _data_loader(arch: Arch, sp: Spelling) -> Section:
    if arch.data == "images":
        dataset = sp.name("datasets", "mnist")
        onehot = sp.name("utils", "to_categorical")
        text = f'''
def load_data():
    """MNIST digits as float images in [0, 1] with one-hot labels."""
    (x_train, y_train), (x_test, y_test) = {dataset}.load_data()
    x_train = x_train.reshape((-1, 28, 28, 1)).astype("float32") / 255.0
    x_test = x_test.reshape((-1, 28, 28, 1)).astype("float32") / 255.0
    y_train = {onehot}(y_train, NUM_CLASSES)
    y_test = {onehot}(y_test, NUM_CLASSES)
    print(x_train.shape[0], "train samples")
    print(x_test.shape[0], "test samples")
    return (x_train, y_train), (x_test, y_test)
'''
    elif arch.data == "tokens":
        dataset = sp.name("datasets", "imdb")
        text = f'''
def load_data():
    """IMDB reviews as padded integer sequences."""
    (x_train, y_train), (x_test, y_test) = {dataset}.load_data(num_words=VOCAB_SIZE)
    x_train = np.array([list(seq)[:MAXLEN] + [0] * (MAXLEN - len(seq)) for seq in x_train])
    x_test = np.array([list(seq)[:MAXLEN] + [0] * (MAXLEN - len(seq)) for seq in x_test])
    print(len(x_train), "train sequences")
    print(len(x_test), "test sequences")
    return (x_train, y_train), (x_test, y_test)
'''
    elif arch.data == "tags":
        onehot = sp.name("utils", "to_categorical")
        text = f'''
def load_data(num_sentences=8000):
    """Sentences of word ids with one tag per word, one-hot encoded."""
    rng = np.random.default_rng(SEED)
    x = rng.integers(1, VOCAB_SIZE, size=(num_sentences, MAXLEN))
    tags = rng.integers(0, NUM_TAGS, size=(num_sentences, MAXLEN))
    y = {onehot}(tags, NUM_TAGS)
    split = int(num_sentences * 0.8)
    return (x[:split], y[:split]), (x[split:], y[split:])
'''
    elif arch.data == "chars":
        text = '''
def load_data(training_size=50000):
    """Random addition questions, as one-hot characters, and their padded answers."""
    chars = "0123456789+ "
    questions, answers, seen = [], [], set()
    rng = np.random.default_rng(SEED)
    while len(questions) < training_size:
        a, b = (int(rng.integers(0, 10**DIGITS)) for _ in range(2))
        key = tuple(sorted((a, b)))
        if key in seen:
            continue
        seen.add(key)
        questions.append(f"{a}+{b}".ljust(MAXLEN))
        answers.append(str(a + b).ljust(DIGITS + 1))
    index = {c: i for i, c in enumerate(chars)}
    x = np.zeros((len(questions), MAXLEN, len(chars)), dtype="float32")
    y = np.zeros((len(questions), DIGITS + 1, len(chars)), dtype="float32")
    for i, (question, answer) in enumerate(zip(questions, answers)):
        for t, c in enumerate(question):
            x[i, t, index[c]] = 1.0
        for t, c in enumerate(answer):
            y[i, t, index[c]] = 1.0
    split = len(x) - len(x) // 10
    return (x[:split], y[:split]), (x[split:], y[split:])
'''
    elif arch.data == "series":
        text = '''
def load_data(num_points=10000):
    """Noisy sine waves cut into windows; the target is the next value of the first sensor."""
    rng = np.random.default_rng(SEED)
    t = np.arange(num_points, dtype="float32")
    phases = rng.uniform(0, 2 * np.pi, size=NUM_SENSORS)
    series = np.sin(t[:, None] / 50.0 + phases) + rng.normal(0, 0.1, (num_points, NUM_SENSORS))
    x = np.stack([series[i : i + WINDOW] for i in range(num_points - WINDOW - 1)])
    y = series[WINDOW + 1 :, 0][: len(x)]
    split = int(len(x) * 0.8)
    return (x[:split], y[:split]), (x[split:], y[split:])
'''
    else:
        text = '''
def load_data(num_samples=5000):
    """Random features and labels: enough to check that the model trains end to end."""
    rng = np.random.default_rng(SEED)
    x = rng.random((num_samples, NUM_FEATURES), dtype="float32")
    y = rng.integers(0, NUM_CLASSES, size=(num_samples,))
    y = np.eye(NUM_CLASSES, dtype="float32")[y]
    split = int(num_samples * 0.8)
    return (x[:split], y[:split]), (x[split:], y[split:])
'''
    return Section(text.strip("\n").splitlines(), {"import numpy as np"})


def _training(arch: Arch, sp: Spelling) -> Section:
    stop = sp.name("callbacks", "EarlyStopping")
    checkpoint = sp.name("callbacks", "ModelCheckpoint")
    optimizer = sp.name("optimizers", "Adam")
    lr, epochs = ("lr", "nb_epoch") if sp.keras1 else ("learning_rate", "epochs")
    metric = '"mae"' if arch.loss == "mse" else '"accuracy"'
    text = f'''
def train(model, x_train, y_train, x_val, y_val, epochs=EPOCHS, batch_size=BATCH_SIZE):
    """Compile and fit the model; keep the best weights on disk."""
    model.compile(
        optimizer={optimizer}({lr}=1e-3),
        loss="{arch.loss}",
        metrics=[{metric}],
    )
    callbacks = [
        {stop}(monitor="val_loss", patience=3),
        {checkpoint}("best_{arch.name}.h5", save_best_only=True),
    ]
    history = model.fit(
        x_train,
        y_train,
        batch_size=batch_size,
        {epochs}=epochs,
        validation_data=(x_val, y_val),
        callbacks=callbacks,
        verbose=2,
    )
    score = model.evaluate(x_val, y_val, verbose=0)
    print("Validation loss:", score[0])
    print("Validation metric:", score[1])
    return history
'''
    return Section(text.strip("\n").splitlines())


def _main(var: str) -> Section:
    text = f"""
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--epochs", type=int, default=EPOCHS)
    parser.add_argument("--batch-size", type=int, default=BATCH_SIZE)
    parser.add_argument("--summary", action="store_true", help="print the model and exit")
    args = parser.parse_args(argv)
    if args.summary:
        {var}.summary()
        return 0
    (x_train, y_train), (x_test, y_test) = load_data()
    train({var}, x_train, y_train, x_test, y_test, args.epochs, args.batch_size)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
"""
    return Section(text.strip("\n").splitlines(), {"import argparse"})


def _plain_main(rng: random.Random) -> Section:
    command = rng.choice(("report", "convert", "sync", "clean", "inspect"))
    text = f'''
def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = parser.add_subparsers(dest="command", required=True)
    run = sub.add_parser("{command}", help="{command} the given paths")
    run.add_argument("paths", nargs="+")
    run.add_argument("--dry-run", action="store_true")
    run.add_argument("--limit", type=int, default={rng.randint(10, 1000)})
    show = sub.add_parser("show", help="print the settings and exit")
    show.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    if args.command == "show":
        print(vars(args))
        return 0
    for count, path in enumerate(args.paths):
        if count >= args.limit:
            break
        action = "would {command}" if args.dry_run else "{command}ing"
        print(f"{{action}} {{path}}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
'''
    return Section(text.strip("\n").splitlines(), {"import argparse"})


def _import_block(imports: set[str]) -> list[str]:
    """Standard library first, then third party, as isort would."""
    third_party = ("numpy", "matplotlib")
    stdlib = sorted(i for i in imports if not any(p in i for p in third_party))
    other = sorted(i for i in imports if any(p in i for p in third_party))
    stdlib.sort(key=lambda s: (s.startswith("from"), s))
    return stdlib + ([""] if stdlib and other else []) + other


def _assemble(doc: list[str], imports: list[str], blocks: list[list[str]]) -> str:
    parts = [doc, imports] if imports else [doc]
    text = "\n\n".join("\n".join(p) for p in parts) + "\n"
    for block in blocks:
        text += "\n\n" + "\n".join(block) + "\n"
    return text


def _fill(text_lines: int, target: int, make: Callable[[], Section]) -> list[Section]:
    """Helpers until the file reaches ``target`` lines, never past MAX_LINES."""
    extra: list[Section] = []
    for _ in range(200):
        if text_lines >= target:
            break
        section = make()
        if text_lines + len(section) > MAX_LINES:
            continue
        extra.append(section)
        text_lines += len(section)
    return extra


def _trimmed(helpers: list[Section], build: Callable[[list[Section]], str]) -> str:
    """The file built with as many of ``helpers`` as keep it within MAX_LINES."""
    while True:
        text = build(helpers)
        if text.count("\n") <= MAX_LINES or not helpers:
            return text
        helpers = helpers[:-1]


def keras_file(
    rng: random.Random, target: int, mistake: str | None
) -> tuple[str, GeneratedFile, str]:
    """A Keras file of about ``target`` lines, its manifest entry and a file name stem."""
    style = "keras1" if mistake == "TDL002" else rng.choice(IMPORT_STYLES)
    sp = Spelling(style)
    apis = KERAS1_API_STYLES if sp.keras1 else API_STYLES
    first = MISTAKE_ARCHS[mistake] if mistake else rng.choice(list(ARCHS))
    archs = [ARCHS[first](rng, mistake)]
    # Longer files hold more models, each of another kind (their names must differ).
    others = [kind for kind in ARCHS if kind != first]
    while len(archs) < 3 and target > 250 * len(archs) and rng.random() < 0.6:
        kind = others.pop(rng.randrange(len(others)))
        archs.append(ARCHS[kind](rng, None))

    consts: dict[str, int] = {}
    for arch in archs:
        for key, value in arch.consts.items():
            consts.setdefault(key, value)
    chosen = [rng.choice(apis) for _ in archs]
    names = ["model"] + [f"{arch.name}_model" for arch in archs[1:]]
    models = [
        render_model(arch, sp, api, var, rng)
        for arch, api, var in zip(archs, chosen, names, strict=True)
    ]
    lines = sum(len(m) + 2 for m in models) + 12
    loader, training = _data_loader(archs[0], sp), _training(archs[0], sp)
    before = [loader] if lines + len(loader) <= target or rng.random() < 0.3 else []
    after = [training] if lines + len(training) <= target or rng.random() < 0.3 else []
    if before and after and lines + len(loader) + len(training) + 20 <= max(target, 120):
        after.append(_main(names[0]))
    lines += sum(map(len, before + after))
    helpers = _fill(lines, target, Helpers(rng).any)
    seed_line = {
        "keras": ["keras.utils.set_random_seed(SEED)"],
        "tf": ["tf.random.set_seed(SEED)"],
        "tf_alias": ["tf.random.set_seed(SEED)"],
    }.get(style, [])
    head = _constants(consts, rng) + seed_line
    doc = _docstring(f"Train the {archs[0].name.replace('_', ' ')} model with Keras.", rng)
    keras_imports = sp.imports()  # after every Keras name was spelled

    def build(helpers: list[Section]) -> str:
        imports = _import_block(set().union(*(s.imports for s in [*before, *after, *helpers])))
        if keras_imports:
            imports += ([""] if imports else []) + keras_imports
        blocks = [head, *(h.lines for h in helpers), *(s.lines for s in before), *models]
        return _assemble(doc, imports, blocks + [s.lines for s in after])

    text = _trimmed(helpers, build)
    info = GeneratedFile(
        path="",
        lines=text.count("\n"),
        keras=True,
        api_styles=tuple(chosen),
        import_style=style,
        loops=any(_has_loop(a.items) for a in archs) and set(chosen) != {"sequential_list"},
        expected=archs[0].expected,
    )
    return text, info, f"train_{archs[0].name}"


def plain_file(rng: random.Random, target: int) -> tuple[str, GeneratedFile, str]:
    """A Python file of about ``target`` lines that never mentions Keras."""
    kind, stem = rng.choice(
        (("utility module", "utils"), ("command line script", "cli"), ("data model", "records"))
    )
    main = [_plain_main(rng)] if stem == "cli" else []
    draw = Helpers(rng).plain
    helpers = _fill(8 + sum(map(len, main)), target, lambda: draw(stem == "records"))
    consts = [f"DEFAULT_{w.upper()} = {rng.randint(1, 500)}" for w in rng.sample(WORDS, 3)]
    doc = ['"""' + f"A {kind} for the {rng.choice(WORDS)} pipeline." + '"""']

    def build(helpers: list[Section]) -> str:
        sections = helpers + main
        imports = _import_block(set().union(*(s.imports for s in sections)))
        return _assemble(doc, imports, [consts, *(s.lines for s in sections)])

    text = _trimmed(helpers, build)
    return text, GeneratedFile(path="", lines=text.count("\n"), keras=False), stem


def _file_name(index: int, info: GeneratedFile, stem: str) -> str:
    folder = f"project_{index // 40:02d}/{'models' if info.keras else 'utils'}"
    return f"{folder}/{stem}_{index:04d}.py"


def generate(root: Path, files: int = 200, keras_ratio: float = 0.5, seed: int = 0) -> Manifest:
    """Write ``files`` files under ``root`` and return their manifest."""
    manifest = Manifest(seed=seed, keras_ratio=keras_ratio)
    for index in range(files):
        rng = random.Random(f"tdlint-bench/{seed}/{index}")
        target = rng.randint(MIN_LINES, MAX_LINES)
        if rng.random() < keras_ratio:
            mistake = None
            if rng.random() < MISTAKE_RATE:
                mistake = rng.choice(("TDL001", "TDL002", "TDL003"))
            text, info, stem = keras_file(rng, target, mistake)
        else:
            text, info, stem = plain_file(rng, target)
            assert "keras" not in text.lower()
        ast.parse(text)  # every generated file is valid Python
        path = _file_name(index, info, stem)
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(text, encoding="utf-8")
        manifest.files.append(replace(info, path=path))
    return manifest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Write the synthetic benchmark corpus.")
    parser.add_argument("root", type=Path)
    parser.add_argument("--files", type=int, default=200)
    parser.add_argument("--keras-ratio", type=float, default=0.5)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--manifest", action="store_true", help="also write manifest.json")
    args = parser.parse_args(argv)
    manifest = generate(args.root, args.files, args.keras_ratio, args.seed)
    if args.manifest:
        data = {"summary": manifest.summary(), "files": [asdict(f) for f in manifest.files]}
        (args.root / "manifest.json").write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(manifest.summary(), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
