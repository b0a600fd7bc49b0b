"""Opening an editing dialog on an existing record and saving it untouched writes nothing at all (issue 9 §1).

Run over the demo data plus records shaped as imports leave them: people without an outlet, outlets without an
organisation or brand, an outlet whose brand is not its name's prefix, two outlets of one name, month-only dates,
flowing members, odd phones kept as text, a birth date at odds with the ID number.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtWidgets import QDialog

from registry.demo import fill_demo
from registry.person_keys import person_keys
from registry.services.flowing import register_report
from registry.services.organizations import edit_org, list_orgs
from registry.services.outlets import edit_outlet, list_outlets
from registry.services.people import edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from ui.dialogs.flowing_dialog import FlowingReportDialog, TransferDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.org_dialog import OrgDialog
from ui.dialogs.outlet_dialog import OutletDialog
from ui.dialogs.person_dialog import PersonDialog
from ui.dialogs.stage_dialog import StageDialog
from ui.dialogs.volunteer_dialog import VolunteerDialog

ACCEPTED = QDialog.DialogCode.Accepted
TABLES = ("operations", "audit_log", "organizations", "brands", "outlets", "people", "transfers", "meetings",
          "meeting_attendance", "volunteer_records", "settings")


def _odd_records(reg: Registry) -> None:
    """Rows written straight through the audited writer, the way imports and older versions left them."""
    with reg.transaction("test.odd", "测试用的特殊记录") as tx:
        org = tx.insert("organizations", {"name": "城东　快递联合党支部", "norm_name": "城东快递联合党支部",
                                          "type": "功能型党组织", "phone": "0755-1234567转123", "founded_on": "2019-07"})
        zto = tx.conn.execute("SELECT id FROM brands WHERE name = '中通快递'").fetchone()[0]
        jt = tx.conn.execute("SELECT id FROM brands WHERE name = '极兔速递'").fetchone()[0]
        outlets = {
            "prefix": tx.insert("outlets", {"name": "顺丰沙河营业部", "norm_name": "顺丰沙河营业部", "brand_id": zto,
                                            "organization_id": org, "workers": 0}),
            "twin_a": tx.insert("outlets", {"name": "沙河网点", "norm_name": "沙河网点", "brand_id": jt}),
            "twin_b": tx.insert("outlets", {"name": "沙河网点", "norm_name": "沙河网点", "brand_id": zto,
                                            "address": "示例市城南街道１号"}),
            "no_brand": tx.insert("outlets", {"name": "无名驿站", "norm_name": "无名驿站", "workers": None}),
        }
        people: list[dict[str, Any]] = [
            {"name": "甲无网点", "id_number": ID_MAN_1985, "gender": "男", "birth_date": "1985-03-15",
             "category": "群众", "phone": "138001380"},  # a phone the import kept as text
            {"name": "乙同名网点", "id_number": ID_WOMAN_1992, "gender": "女", "birth_date": "1992-07",
             "category": "正式党员", "joined_on": "2015-07", "full_on": "2016-07", "outlet_id": outlets["twin_b"],
             "phone": "021-12345678", "flowing": 1, "relation": "流入", "home_organization": "四川省南充市顺庆区新建村党支部",
             "reported_on": "2024-03-01"},
            {"name": "丙前缀", "id_number": ID_MAN_2000, "gender": None, "birth_date": "1999-12-31",
             "category": "入党申请人", "applied_on": "2024-01", "outlet_id": outlets["prefix"],
             "phone": "0755-1234567转123", "organization_id": org, "address": "示例市　城南街道"},
            {"name": "丁无品牌", "id_number": "11010519491231002X", "gender": "女", "category": "群众",
             "outlet_id": outlets["no_brand"], "phone": "+86 138 0013 8000", "notes": "备注\n两行"},
            {"name": "戊极兔", "id_number": "440524188001010014", "gender": "男", "category": "正式党员",
             "joined_on": "1905", "outlet_id": outlets["twin_a"]},
            # Dated membership (issue 10) as older versions and census imports leave it: no 纳入管理日期 or 方式.
            {"name": "己停止党籍", "id_number": "510104198001010014", "category": "正式党员", "joined_on": "2001-07",
             "status": "停止党籍", "lost_contact": 1, "lost_since": "2025-03", "outlet_id": outlets["twin_a"]},
            {"name": "庚流出", "id_number": "510104199002020024", "category": "预备党员", "joined_on": "2026-01-05",
             "relation": "流出", "flow_destination": "广东省深圳市", "flow_left_on": "2026-02",
             "managed_from": "2025-06-01", "managed_how": "摸排新纳入", "state_from": "2026-02-01"},
            {"name": "辛待核实", "id_number": "510104197503030037", "category": "正式党员", "relation": "待核实",
             "managed_from": "2026-11-03", "managed_how": "摸排新纳入", "outlet_id": outlets["no_brand"]},
            {"name": "壬已离开", "id_number": "510104198804040049", "category": "群众", "left_on": "2026-10",
             "left_how": "离开本单位"},
        ]
        for p in people:
            p.update(person_keys(p["name"], p["id_number"], p.get("phone")))
            p.setdefault("flowing", 0)
            p.setdefault("status", "正常")
            p["created_at"] = p["updated_at"] = "2024-05-01T09:00:00"
            tx.insert("people", p, label=p["name"])


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Registry]:
    reg = Registry(tmp_path / "demo.db", operator="测试员", create=True)
    fill_demo(reg, people=300)
    _odd_records(reg)
    yield reg
    reg.close()


def snapshot(reg: Registry) -> dict[str, list[tuple[Any, ...]]]:
    return {t: reg.conn.execute(f"SELECT * FROM {t} ORDER BY rowid").fetchall() for t in TABLES}


def counts(reg: Registry) -> tuple[int, int]:
    return reg.scalar("SELECT count(*) FROM audit_log"), reg.scalar("SELECT count(*) FROM operations")


def test_fixture_has_the_awkward_cases(demo: Registry) -> None:
    q = demo.scalar
    assert q("SELECT count(*) FROM people WHERE outlet_id IS NULL") >= 1
    assert q("SELECT count(*) FROM people p JOIN outlets o ON o.id = p.outlet_id WHERE o.organization_id IS NULL") >= 1
    assert q("SELECT count(*) FROM people WHERE length(joined_on) = 7") >= 5
    assert q("SELECT count(*) FROM people WHERE flowing = 1") >= 20
    assert q("SELECT count(*) FROM outlets WHERE brand_id IS NULL") >= 1
    assert q("SELECT count(*) FROM people WHERE managed_from IS NULL AND managed_how IS NULL") >= 1
    assert q("SELECT count(DISTINCT relation) FROM people WHERE category IN ('预备党员', '正式党员')") == 4
    assert q("SELECT count(*) FROM people WHERE status = '停止党籍' AND lost_contact = 1") >= 1
    assert q("SELECT count(*) FROM people WHERE left_how IS NOT NULL") >= 1


def test_person_dialog_saved_untouched_writes_nothing_for_every_person(qtbot, demo: Registry) -> None:
    before = snapshot(demo)
    ids = [r[0] for r in demo.conn.execute("SELECT id FROM people ORDER BY id")]
    assert len(ids) > 300
    for pid in ids:
        dialog = PersonDialog(demo, pid)
        shown = dialog.form_values()
        assert dialog.values() == {}, pid
        dialog.save()
        assert dialog.result() == ACCEPTED, (pid, dialog.error.text())
        # The service too: every field exactly as the form shows it is no change.
        assert edit_person(demo, pid, **shown) == {}, pid
        assert counts(demo) == (len(before["audit_log"]), len(before["operations"])), pid
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_person_dialog_shows_the_stored_outlet_brand_and_organisation(qtbot, demo: Registry) -> None:
    pid = demo.scalar("SELECT id FROM people WHERE name = '丙前缀'")
    dialog = PersonDialog(demo, pid)
    qtbot.addWidget(dialog)
    assert dialog.outlet.value() == ("顺丰沙河营业部", "中通快递")
    assert dialog.org.value() == "城东　快递联合党支部"
    assert dialog.edits["phone"].text() == "0755-1234567转123"
    twin = PersonDialog(demo, demo.scalar("SELECT id FROM people WHERE name = '乙同名网点'"))
    qtbot.addWidget(twin)
    assert twin.outlet.value() == ("沙河网点", "中通快递") and twin.relation.value() == "流入"


def test_changing_one_field_writes_only_that_field(qtbot, demo: Registry) -> None:
    pid = demo.scalar("SELECT id FROM people WHERE name = '丙前缀'")
    dialog = PersonDialog(demo, pid)
    qtbot.addWidget(dialog)
    dialog.edits["job"].setText("分拣员")
    dialog.save()
    assert dialog.result() == ACCEPTED, dialog.error.text()
    fields = [r[0] for r in demo.conn.execute("SELECT field FROM audit_log WHERE entity_id = ? AND op = 'update'",
                                              (pid,))]
    assert fields == ["job"]


def test_org_dialog_saved_untouched_writes_nothing(qtbot, demo: Registry) -> None:
    before = snapshot(demo)
    orgs = list_orgs(demo)
    assert len(orgs) >= 7
    for org in orgs:
        dialog = OrgDialog(demo, org["name"])
        shown = dialog.values()
        dialog.save()
        assert dialog.result() == ACCEPTED, (org["name"], dialog.error.text())
        assert edit_org(demo, org["name"], **shown) == {}, org["name"]
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_outlet_dialog_saved_untouched_writes_nothing(qtbot, demo: Registry) -> None:
    before = snapshot(demo)
    outlets = list_outlets(demo)
    assert len(outlets) >= 16
    for o in outlets:
        dialog = OutletDialog(demo, (o["name"], o["brand"]))
        shown = dialog.values()
        dialog.save()
        assert dialog.result() == ACCEPTED, (o["name"], dialog.error.text())
        assert edit_outlet(demo, o["name"], o["brand"], **shown) == {}, o["name"]
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_flowing_report_saved_untouched_writes_nothing_for_every_flowing_member(qtbot, demo: Registry) -> None:
    before = snapshot(demo)
    ids = [r[0] for r in demo.conn.execute("SELECT id FROM people WHERE flowing = 1 ORDER BY id")]
    assert len(ids) >= 20
    for pid in ids:
        dialog = FlowingReportDialog(demo, pid)
        dialog.save()
        assert dialog.result() == ACCEPTED, (pid, dialog.error.text())
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_flowing_report_service_with_the_stored_values_is_no_change(demo: Registry) -> None:
    for p in demo.query("SELECT * FROM people WHERE flowing = 1"):
        assert register_report(demo, p["id"], home_organization=p["home_organization"],
                               reported_on=p["reported_on"], home_contact=p["home_contact"] or "",
                               certificate_no=p["certificate_no"] or "") == {}


@pytest.mark.parametrize("opener", [
    lambda reg, pid: StageDialog(reg, pid),
    lambda reg, pid: TransferDialog(reg, pid, "in"),
    lambda reg, pid: TransferDialog(reg, pid, "out"),
    lambda reg, pid: VolunteerDialog(reg, pid),
], ids=["stage", "transfer-in", "transfer-out", "volunteer"])
def test_dialogs_that_only_add_leave_the_record_alone_when_opened_and_closed(qtbot, demo: Registry, opener) -> None:
    """These record a new step (a stage, a transfer, a stint of service); opening one changes nothing."""
    before = snapshot(demo)
    ids = [r[0] for r in demo.conn.execute("SELECT id FROM people WHERE category IN ('正式党员', '预备党员', '群众')"
                                           " ORDER BY id LIMIT 25")]
    for pid in ids:
        dialog = opener(demo, pid)
        dialog.reject()
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_meeting_dialog_opened_and_closed_changes_nothing(qtbot, demo: Registry) -> None:
    before = snapshot(demo)
    for org in list_orgs(demo):
        dialog = MeetingDialog(demo, organization=org["name"])
        dialog.reject()
        dialog.deleteLater()
    assert snapshot(demo) == before


def test_a_filled_person_dialog_fits_the_screen(qtbot, demo: Registry) -> None:
    """A long form scrolls inside the dialog: 保存 and 取消 stay on a small screen (1024×768 and smaller)."""
    pid = demo.scalar("SELECT id FROM people WHERE flowing = 1 AND full_on IS NOT NULL LIMIT 1")
    dialog = PersonDialog(demo, pid)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    screen = dialog.screen().availableGeometry()
    assert dialog.frameGeometry().height() <= screen.height() - 40
    assert dialog.minimumSizeHint().height() < 400
