"""Details of the machine formats that test_report_formats.py leaves open: SARIF's entries for
the engine's own codes (read from their documentation pages), GitLab's fingerprints for
repeated findings, JUnit's empty suite and layout, and each format's indentation."""

from __future__ import annotations

import hashlib
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from pathlib import Path

import pytest
from test_report_formats import make_diagnostics

from tdlint.report import gitlab, junit, sarif

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules"


def section(page: str, heading: str) -> str:
    match = re.search(rf"^## {re.escape(heading)}\n(.*?)(?=^## |\Z)", page, re.S | re.M)
    assert match, heading
    return match.group(1).strip()


@pytest.mark.parametrize(
    ("code", "level", "availability"),
    [
        ("TDL000", "error", "none"),
        ("TDL900", "warning", "always"),
        ("TDL901", "warning", "always"),
    ],
)
def test_sarif_engine_rules_come_from_their_pages(code: str, level: str, availability: str) -> None:
    page = (DOCS / f"{code}.md").read_text(encoding="utf-8")
    what, why = section(page, "What it does"), section(page, "Why is this bad?")
    first_paragraph = " ".join(what.split("\n\n")[0].split())
    first_sentence = re.match(r"(.+?)\.(?: |$)", first_paragraph)
    assert first_sentence
    rules = {r["id"]: r for r in sarif.to_sarif([])["runs"][0]["tool"]["driver"]["rules"]}
    rule = rules[code]
    assert rule["shortDescription"] == {"text": first_sentence.group(1) + "."}
    assert rule["fullDescription"] == {"text": f"{what}\n\n{why}"}
    assert "\n## " not in rule["fullDescription"]["text"]  # no other section leaks in
    assert rule["defaultConfiguration"] == {"level": level}
    assert rule["properties"]["fixAvailability"] == availability


def test_each_format_is_indented_as_documented(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    diagnostics = make_diagnostics()
    assert sarif.render(diagnostics) == json.dumps(sarif.to_sarif(diagnostics), indent=2)
    assert gitlab.render(diagnostics) == json.dumps(gitlab.to_gitlab(diagnostics), indent=2)
    assert gitlab.render(diagnostics, project_dir=str(tmp_path / "src")) == json.dumps(
        gitlab.to_gitlab(diagnostics, project_dir=str(tmp_path / "src")), indent=2
    )
    xml = junit.render(diagnostics[3:])
    assert xml.splitlines()[1:4] == [
        '<testsuites name="tdlint" tests="1" failures="1" errors="0">',
        '    <testsuite name="weird,name:1.py" tests="1" disabled="0" errors="0" failures="1"'
        ' package="tdlint">',
        '        <testcase name="tdlint.TDL000" classname="weird,name:1" file="weird,name:1.py"'
        ' line="1" column="1">',
    ]


def _sha(*fields: str) -> str:
    return hashlib.sha256("\0".join(fields).encode()).hexdigest()[:32]


def test_gitlab_repeated_findings_count_up_their_salt(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    d = make_diagnostics()[1]
    fields = (d.code, "src/a model.py", d.message, "7", "1")
    issues = gitlab.to_gitlab([d, d, d])
    assert [i["fingerprint"] for i in issues] == [_sha(*fields, str(s)) for s in (0, 1, 2)]


def test_gitlab_render_takes_the_project_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CI_PROJECT_DIR", raising=False)
    d = make_diagnostics()[1]
    report = json.loads(gitlab.render([d], project_dir=str(tmp_path / "src")))
    assert report[0]["location"]["path"] == "a model.py"


def test_junit_empty_report_is_one_suite_with_one_passing_test() -> None:
    root = ET.fromstring(junit.render([]).encode())
    (suite,) = root.findall("testsuite")
    assert suite.attrib == {
        "name": "tdlint",
        "tests": "1",
        "disabled": "0",
        "errors": "0",
        "failures": "0",
        "package": "tdlint",
    }


def test_junit_classname_drops_only_a_suffix() -> None:
    d = make_diagnostics()[3]
    root = ET.fromstring(junit.render([replace(d, filename="scripts/train")]).encode())
    case = root.find("testsuite/testcase")
    assert case is not None and case.get("classname") == "scripts/train"
