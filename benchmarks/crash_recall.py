"""How many reproduced Keras crashes tdlint reports, and how many fixed scripts it flags.

    python benchmarks/crash_recall.py                   # the set in tests/crashes
    python benchmarks/crash_recall.py DIR [DIR...]      # any folders of such pairs
    python benchmarks/crash_recall.py DIR --show        # and every finding and miss

A folder holds pairs: `NAME.py`, a script that crashes under Keras, and `NAME.fixed.py`, the
same script fixed. A `# keras-version: X` comment at the top is passed on as the setting
(the Keras the script was reported on); otherwise tdlint decides as it does for users.

* **recall**: crash scripts with at least one error-level finding;
* **false alarms**: fixed scripts with an error-level finding (warnings are not counted:
  they may be right about a script that runs);
* **misses**: the crash scripts without one, by name.

Nothing here is timed. Run it by hand and quote it.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from tdlint.api import check_source
from tdlint.diagnostics import Diagnostic, Severity

DEFAULT = Path(__file__).resolve().parents[1] / "tests" / "crashes"


def keras_version(text: str) -> str | None:
    for line in text.splitlines():
        if not line.startswith("#"):
            return None
        if line.startswith("# keras-version:"):
            return line.split(":", 1)[1].strip()
    return None


def errors(path: Path) -> list[Diagnostic]:
    text = path.read_text(encoding="utf-8", errors="replace")
    version = keras_version(text)  # the script's own Keras, also the one it targets
    found = check_source(text, path.name, keras_version=version, target_version=version)
    return [d for d in found if d.severity is Severity.ERROR]


def measure(folder: Path, show: bool) -> tuple[int, int, int, int]:
    crashes = sorted(p for p in folder.glob("*.py") if not p.name.endswith(".fixed.py"))
    caught = alarms = fixed_total = 0
    for crash in crashes:
        found = errors(crash)
        caught += bool(found)
        if show or not found:
            status = "caught" if found else "MISSED"
            print(f"  {status:7} {crash.name}")
            for d in found if show else ():
                print(f"          {d.location.row}:{d.location.column} {d.code} {d.message[:110]}")
        fixed = crash.with_name(crash.stem + ".fixed.py")
        if fixed.exists():
            fixed_total += 1
            flagged = errors(fixed)
            alarms += bool(flagged)
            for d in flagged:
                print(f"  FALSE ALARM {fixed.name}:{d.location.row} {d.code} {d.message[:100]}")
    return len(crashes), caught, fixed_total, alarms


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, default=[DEFAULT])
    parser.add_argument("--show", action="store_true", help="print every finding")
    args = parser.parse_args(argv)
    for folder in args.folders:
        print(f"{folder}:")
        total, caught, fixed_total, alarms = measure(folder, args.show)
        if not total:
            print("  no crash scripts")
            continue
        print(f"  recall:       {caught} of {total} crashes ({caught / total:.1%})")
        print(f"  false alarms: {alarms} of {fixed_total} fixed scripts")
    return 0


if __name__ == "__main__":
    sys.exit(main())
