"""Date arithmetic lives in registry/rules/ only: a deadline computed elsewhere could drift from the rule."""

from __future__ import annotations

import re
from pathlib import Path

import registry

ROOT = Path(registry.__file__).parent
# Adding months or days to a date (a rule's period named in a message is fine: the rule computes the date).
ARITHMETIC = re.compile(r"\badd_months\(|\.add_months\(|\btimedelta\(|\brelativedelta\(")
# Made-up dates of the demo, and the backup rotation's weeks (a file-keeping policy, not a rule of the party).
ALLOWED = {"demo.py", "demo_census.py", "services/backups.py"}


def _offenders() -> list[str]:
    found = []
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT).as_posix()
        if rel.startswith("rules/") or rel in ALLOWED or rel.startswith("demo"):
            continue
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            code = line.split("#", 1)[0]
            if ARITHMETIC.search(code) and not code.lstrip().startswith(("from ", "import ")):
                found.append(f"{rel}:{number}: {line.strip()}")
    return found


def test_no_date_arithmetic_outside_rules() -> None:
    assert _offenders() == []


def test_the_check_sees_arithmetic() -> None:
    assert ARITHMETIC.search("due = joined.add_months(APPROVAL_MONTHS)")
    assert ARITHMETIC.search("end = start + timedelta(days=1)")
    assert not ARITHMETIC.search('f"超过{APPROVAL_MONTHS}个月"')
