"""The development rules leave an adult's birth date out of their memo key: the findings stay the same."""

from __future__ import annotations

import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from registry.rules import development
from registry.rules.dates import PartialDate
from registry.rules.idnumber import check_char

TODAY = datetime.date(2026, 12, 1)


def _id(born: datetime.date) -> str:
    body = f"510104{born:%Y%m%d}123"
    return body + check_char(body)


def _spelled(d: datetime.date, month_only: bool) -> str:
    return str(PartialDate(d.year, d.month, None if month_only else d.day))


def _with_the_birth_in_the_key(person: dict[str, object]) -> list[development.RuleIssue]:
    """check_development as it was: the birth date always in the key when a stage date could need it."""
    id_check = development.check_id(person.get("id_number"))
    stages = tuple(person.get(k) for k in development.STAGE_KEYS)
    before, after = development._stage_rules.__wrapped__(  # type: ignore[attr-defined]
        (stages, person.get("extension_months"), person.get("category"), (person.get("birth_date"),
                                                                         id_check.birth_date), TODAY))
    return before + development._consistency_issues(person, id_check) + after


_DAY = st.dates(datetime.date(1960, 1, 1), datetime.date(2026, 11, 30))


@settings(max_examples=400, deadline=None)
@given(_DAY, st.one_of(st.none(), _DAY), st.one_of(st.none(), _DAY), st.booleans(), st.booleans(),
       st.sampled_from(["入党申请人", "预备党员", "正式党员", "群众"]))
def test_findings_do_not_depend_on_the_memo_key(born: datetime.date, applied: datetime.date | None,
                                                joined: datetime.date | None, month_birth: bool, month_stage: bool,
                                                category: str) -> None:
    person: dict[str, object] = {"id_number": _id(born), "birth_date": _spelled(born, month_birth),
                                 "category": category}
    if applied:
        person["applied_on"] = _spelled(applied, month_stage)
    if joined:
        person["joined_on"] = _spelled(joined, month_stage)
    assert development.check_development(person, TODAY) == _with_the_birth_in_the_key(person)


def test_an_application_before_18_is_still_found() -> None:
    person = {"id_number": _id(datetime.date(2000, 6, 15)), "birth_date": "2000-06-15", "category": "入党申请人",
              "applied_on": "2018-06-14"}
    assert [i.rule for i in development.check_development(person, TODAY)] == ["age_under_18"]
    person["applied_on"] = "2018-06-15"
    assert development.check_development(person, TODAY) == []
