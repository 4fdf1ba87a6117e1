"""Mutation scores per module, raw and adjusted, after ``mutmut run`` (docs/contributing.md).

    python benchmarks/mutation_scores.py                 # the table
    python benchmarks/mutation_scores.py --survivors     # and every surviving mutant's diff
    python benchmarks/mutation_scores.py --equivalents   # and the ones counted as equivalent

*Raw*: killed (timeouts included) out of every mutant that was run (a run over some modules
only leaves the others "not checked": they are shown as not run, not as survivors).
*Adjusted* leaves out the mutants that cannot change what tdlint does (each kind is listed
below, with why), and counts the mutants of functions that run at import time by what
benchmarks/mutants_at_import.py found (mutmut itself cannot switch those on: they always show
as survivors).

An entry below is a judgement made by reading the mutant; add one only with its reason.
"""

from __future__ import annotations

import argparse
import collections
import re
import subprocess
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


@dataclass(frozen=True)
class Equivalent:
    function: str  # a regular expression over the mutant's function name
    change: str  # a regular expression over the mutant's changed lines
    why: str


EQUIVALENTS = [
    Equivalent(
        r"cache\.|cli\.x__(emit|console)",
        r'encoding=(None|"UTF-8")|encoding="utf-8"\) as|"w", \)|"w", \) if|, \)$',
        "the text encoding: UTF-8 is the locale's too (and `UTF-8` is the same codec)",
    ),
    Equivalent(
        r"sourcefile\..*write",
        r"newline=None|self\.encoding, \)",
        "newline='' and the default agree on POSIX",
    ),
    Equivalent(
        r"cache\..*key",
        r"XX\\0XX",
        "another separator in the hash input: still a deterministic key",
    ),
    Equivalent(
        r"cache\..*(__init__|_prepare)",
        r"_ready = (None|False)",
        "`_ready` only saves repeating mkdir",
    ),
    Equivalent(
        r"cli\.x__console",
        r"stderr=None|^\s*stderr=stderr,$|no_color=None|highlight=None"
        r'|no_color=color == "(XXneverXX|NEVER)"|^\s*no_color=color == "never",$',
        "`stderr` is never passed; None is False for rich; 'never' already sets "
        "force_terminal=False",
    ),
    Equivalent(
        r"cli\.x__(report|check_stdin|exit_status)",
        r"remaining=(None|1)|fixed=(None|1)|errors=None|would_fix: int = 1",
        "arguments the --diff branch of _exit_status never reads (or None for False)",
    ),
    Equivalent(
        r"cli\.x__(flatten|per_file_ignores)",
        r"split\((None|\"XX,XX\")\)",
        "the selectors are split at commas again when expanded",
    ),
    Equivalent(
        r"cli\.x__run",
        r"run\(paths, settings, (None, |FixMode\.NONE, use_cache=None|use_cache=False)",
        "--add-noqa: mode None means no fixing; the cache is off in that mode",
    ),
    Equivalent(r"cli\.x__unified_diff", r'"XXXX"', "a changed file's original text is never empty"),
    Equivalent(
        r"cli\.x_resolve_settings",
        r'"XX-XX"|first\.exists\(\)\) or True',
        "a path that does not exist finds the same configuration as the folder above it",
    ),
    Equivalent(
        r"cli\.x_run_shapes",
        r"problem = None if \(found\) and False",
        "a file with models parsed: asking why it has none finds nothing to say",
    ),
    Equivalent(
        r"cli\.x__unsummarised",
        r'too_deep_to_parse\(text\) is not None|"XXexecXX"|"EXEC"'
        r'|"exec", (dont_inherit|ast\.PyCF_ONLY_AST, (\)|dont_inherit=False))'
        r'|from_options\(\["tdl000"\]|from_options\(\["TDL000"\], \)',
        "compile() is only a shortcut for code that parses (the TDL000 check decides the "
        "rest); selectors are case-insensitive, and None is the default ignore",
    ),
    Equivalent(
        r"cli\.x__print_summaries",
        r'add_column\("(Layer|Output shape)", overflow=None\)',
        "a column's overflow None is the console's, which is fold",
    ),
    Equivalent(
        r"cli\.x__print_summaries",
        r"console\.width = 100001",
        "any width wider than every table",
    ),
    Equivalent(
        r"cli\.x__print_summaries",
        r"title_justify",
        "the table is printed with soft wrap: the title is not padded",
    ),
    Equivalent(
        r"datafit\.x_data_calls",
        r"id\(None\)|seen\.add\(None\)|y = \"\"|\"XXpredict|\"PREDICT|!= \"predict\" or",
        "the engine drops a second finding at the same node; a non-array y is not judged",
    ),
    Equivalent(
        r"datafit\.x_data_calls",
        r"as_array\(y\), None, given, unbatched\)",
        "None is False for one_label_per_window",
    ),
    Equivalent(
        r"tdl105.*_shape_arguments",
        r"id\(None\)|seen\.add\(None\)|call\.args or call\.args|arg is None or call",
        "the engine drops a second finding at the same node; Input() takes one positional argument",
    ),
    Equivalent(
        r"tdl105.*_whole_shape_of",
        r'getattr\(owner, "value", (None|"XXXX"|)\)',
        "an owner without a name is not a data set either way",
    ),
    Equivalent(
        r"",
        r"strict=(None|False|True)\)|strict=True\)\):|, \)\):$"
        r"|zip\((given, expected|got, want|reversed\(a\), reversed\(b\)|labels\[1:\], "
        r"output\[1:\]), \)",
        "zip's strictness where the lengths are equal by construction (or unchecked by design)",
    ),
    Equivalent(
        r"datafit\.x_target_problem",
        r"labels\[\+1\]|output\[\+1\]|labels\[-2\]\) and is_known\(output",
        "index 1 is index -1 of a length-2 shape",
    ),
    Equivalent(
        r"datafit\.x__dims_agree", r"return True$", "callers compare shapes of equal length"
    ),
    Equivalent(r"datafit\.x_shape_text", r'or True|"XX\?XX"', "no caller passes an unknown shape"),
    Equivalent(
        r"datafit\.x_output_activation",
        r'"linear"|"XXlinearXX"|"LINEAR"|\("(XX)?(Dense|Conv1D|Conv2D|Conv3D|dense|conv[123]d|DENSE|CONV[123]D)(XX)?"|"(XX)?[Aa]ctivation(XX)?"|"ACTIVATION"',
        "'linear' and None mean the same to the rules measured (TDL204); Activation layers "
        "return earlier",
    ),
    Equivalent(
        r"tdl204.*check",
        r"units = out\[-1\] if \(out\) or True",
        "a model without an output shape has returned already",
    ),
    Equivalent(
        r"tdl101.*_too_low", r"<= need\.min", "a rank equal to the minimum is no rank error"
    ),
    Equivalent(r"tdl106.*check", r"rank or 1\)", "0 and 1 are both below 4"),
    Equivalent(
        r"noqa\.x.*suppresses",
        r"statement_end\.get\(row(, None|, )?\)",
        "the second candidate only repeats the first",
    ),
    Equivalent(
        r"noqa\.x__lines", r"next\(lines, \)", "tokenize treats StopIteration as the end of input"
    ),
    Equivalent(
        r"noqa\.x_with_renamed_codes",
        r"is not None or match",
        "an assertion about input that always holds",
    ),
    Equivalent(
        r"sarif\.x__section",
        r"rpartition|split\(\"\\n## \", (2)?\)",
        "each heading occurs once; only the first part is kept",
    ),
    Equivalent(
        r"sarif\.x_engine_rule_info",
        r'rstrip\(None\)|lstrip\("\."\)|XX\\n\\nXX|"XX\. XX"|rstrip\("XX\.XX"\)'
        r'|rpartition\("\*\*Fix|Severity\.WARNING|get\(code, (None|)\)',
        "no engine page's first sentence ends a paragraph; `_level(None)` is 'warning'",
    ),
    Equivalent(
        r"sequence_intent\.x_(evidence|_labels_verdict|_structure_evidence)__",
        r"Evidence\((PER_TIMESTEP|UNKNOWN_LABELS), |per_timestep = Evidence\(PER_TIMESTEP, "
        r"|^PER_TIMESTEP, (None|\))$|^None,$|^\)$",
        "the reason (and labels) of per-timestep or unknown-labels evidence is never shown: "
        "TDL001 is silent then, TDL004 and TDL203 act on per-sequence evidence only",
    ),
    Equivalent(
        r"sequence_intent\.x_label_evidence",
        r'unknown = ""|if unknown is None and verdict\.kind == UNKNOWN_LABELS',
        "the result is unknown-labels if any call's is, else no evidence, either way",
    ),
    Equivalent(
        r"tdl203.*x__evidence",
        r"if y is not None or out is not None",
        "evidence without labels has no loss either: both checks return at once",
    ),
    Equivalent(
        r"sequence_intent\.x__rank_two_labels",
        r"if is_known\(n\) or is_known\(steps\):",
        "with one of them unknown, n == steps is false and both branches give the same answer",
    ),
    Equivalent(
        r"sequence_intent\.x__vocabulary_projection",
        r"where = None",
        "the text of per-timestep evidence is never shown",
    ),
    Equivalent(
        r"sequence_intent\.x__units_text",
        r'return "XXXX"',
        "'XXXX' names no vocabulary either",
    ),
    Equivalent(
        r"sequence_intent\.x_(_upstream|reduced_downstream)",
        r"id\(None\)|seen\.add\(None\)",
        "`seen` only saves visiting a layer twice: the graph has no cycles",
    ),
    Equivalent(
        r"sequence_intent\.x_reduce_sequence_fix",
        r'inner is None and head\.layer\.spec\.name != "TimeDistributed"',
        "the only wrapped head is a TimeDistributed(Dense), whose inner layer is known",
    ),
    Equivalent(
        r"tdl001.*_finding",
        r'severity = ""',
        "an empty severity, like None, means the rule's own",
    ),
    Equivalent(
        r"text\.x_counted",
        r'"XX0 errorsXX"|"0 ERRORS"',
        "nothing is counted when there is nothing: every caller has a finding or a fix to count",
    ),
    Equivalent(
        r"junit\.x__classname", r"or True", "a path without a suffix is its own name without one"
    ),
    Equivalent(
        r"fixes\.x__?apply",
        r"default=1\)",
        "a fix without edits overlaps nothing, wherever it sorts",
    ),
    Equivalent(r"arrays\.x__replace_leaves", r"return 1", "the placeholder's value is never read"),
    Equivalent(
        r"arrays\.x__slice_length",
        r"is_unknown\(None\)",
        "an unknown start fails the next check too",
    ),
    Equivalent(
        r"arrays\.x_arange",
        r"Array\(\(UNKNOWN,\), \)|bounds\[:3\]",
        "the default kind is None; two bounds are bounds[:2]",
    ),
    Equivalent(r"data\.x__(vstack|hstack)", r"new_axis=None", "None is False"),
    Equivalent(
        r"data\.x__eye|data\.x__random_dims",
        r"is_known\((n|m|d)\)\) or True",
        "an unknown dim stays unknown (with its origin kept)",
    ),
    Equivalent(
        r"data\.x_library_call",
        r"train_test_split\(positional, None\)",
        "train_test_split ignores its keywords",
    ),
]
# Functions that run at import time: measured by benchmarks/mutants_at_import.py instead.
IMPORT_TIME = re.compile(r"tdlint\.analysis\.data\.x__(filled|joined|random_dims|random_size)__")


def results() -> dict[str, str]:
    listing = subprocess.run(
        ["mutmut", "results", "--all", "true"], cwd=ROOT, capture_output=True, text=True
    ).stdout
    pairs = (line.strip().rsplit(": ", 1) for line in listing.splitlines() if ": " in line)
    return {name: status for name, status in pairs}


def changed_lines(name: str) -> list[str]:
    """The mutant's version of the changed lines (the removed ones, when it only removes)."""
    diff = subprocess.run(["mutmut", "show", name], cwd=ROOT, capture_output=True, text=True)
    lines = [line for line in diff.stdout.splitlines() if not line.startswith(("+++", "---"))]
    added = [line[1:].strip() for line in lines if line.startswith("+")]
    return added or [line[1:].strip() for line in lines if line.startswith("-")]


def equivalent(name: str, lines: list[str]) -> Equivalent | None:
    for entry in EQUIVALENTS:
        if re.search(entry.function, name) and any(
            re.search(entry.change, line) for line in lines if line
        ):
            return entry
    return None


def module_of(name: str) -> str:
    return re.split(r"\.x(?:_|ǁ)", name)[0]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--survivors", action="store_true")
    parser.add_argument("--equivalents", action="store_true")
    args = parser.parse_args()
    statuses = results()
    totals: dict[str, collections.Counter[str]] = collections.defaultdict(collections.Counter)
    for name, status in statuses.items():
        module = module_of(name)
        counts = totals[module]
        if status == "not checked":  # a partial run: this mutant was not run at all
            counts["not run"] += 1
            continue
        counts["total"] += 1
        if status in ("killed", "timeout"):
            counts["killed"] += 1
            continue
        if IMPORT_TIME.match(name):
            counts["import time"] += 1
            continue
        lines = changed_lines(name)
        entry = equivalent(name, lines)
        if entry is not None:
            counts["equivalent"] += 1
            if args.equivalents:
                print(f"= {name}: {entry.why}\n    " + "\n    ".join(lines))
        else:
            counts["survived"] += 1
            if args.survivors:
                print(f"! {name}\n    " + "\n    ".join(lines))
    header = f"{'module':54} {'mutants':>7} {'killed':>6} {'equiv':>5} {'import':>6} {'left':>4}"
    print(f"{header}  raw   adjusted")
    for module in sorted(totals):
        c = totals[module]
        if not c["total"]:
            print(f"{module:54} {c['not run']:7}  (not run)")
            continue
        raw = c["killed"] / c["total"]
        counted = c["total"] - c["equivalent"] - c["import time"]
        adjusted = c["killed"] / counted if counted else 1.0
        print(
            f"{module:54} {c['total']:7} {c['killed']:6} {c['equivalent']:5} {c['import time']:6}"
            f" {c['survived']:4}  {raw:5.1%} {adjusted:7.1%}"
            + (f"  ({c['not run']} not run)" if c["not run"] else "")
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
