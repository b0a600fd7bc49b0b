"""Members with dues records for the 党费 tests: a branch, people of each kind, meetings written through the writer."""

from __future__ import annotations

from registry.rules.idnumber import check_char
from registry.services.organizations import add_org
from registry.services.people import add_person
from registry.storage.database import Registry

BRANCH = "城南快递联合党支部"


def id_for(n: int, year: int = 1990) -> str:
    first17 = f"510104{year}0101{n:03d}"
    return first17 + check_char(first17)


def setup_branch(reg: Registry) -> None:
    add_org(reg, name="示例区快递行业党委", type="行业党委")
    add_org(reg, name=BRANCH, type="联合党支部", parent="示例区快递行业党委")


def member(reg: Registry, n: int, name: str, *, category: str = "正式党员", joined_on: str = "2015-06",
           **more: object) -> int:
    fields: dict[str, object] = {"name": name, "id_number": id_for(n), "category": category,
                                 "joined_on": joined_on, "organization": BRANCH, "managed_from": "2020-01-01"}
    if category == "正式党员":
        fields.setdefault("full_on", "2016-06")
    fields.update(more)
    return add_person(reg, **fields)


def meeting(reg: Registry, held_on: str, marks: dict[int, str]) -> int:
    """A 主题党日 of the branch with attendance {person id: 出席/请假/缺席}."""
    with reg.transaction("test.meeting") as tx:
        org = tx.conn.execute("SELECT id FROM organizations WHERE name = ?", (BRANCH,)).fetchone()[0]
        mid = tx.insert("meetings", {"organization_id": org, "kind": "主题党日", "held_on": held_on, "topic": "学习"})
        for pid, status in marks.items():
            tx.conn.execute("INSERT INTO meeting_attendance (meeting_id, person_id, status) VALUES (?, ?, ?)",
                            (mid, pid, status))
        tx.audit([(tx.operation_id, tx.at, tx.operator, "insert", "meeting_attendance", mid, None, None, None,
                   str(len(marks)))])
        return mid
