"""The 党费 page and its dialogs: the grid and its filters, paying for several at once, unchanged saves write nothing."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from PySide6.QtCore import QItemSelectionModel, Qt
from PySide6.QtWidgets import QMessageBox

from registry.services import dues
from registry.services.dues import BaseInput, PaymentInput
from registry.services.dues_ledger import bases_of, payments_of
from registry.services.dues_lists import arrears_list
from registry.storage.database import Registry
from tests.services.dues_fixtures import member, setup_branch
from ui.dialogs.dues_dialog import DuesBaseDialog, DuesPaymentDialog
from ui.pages.dues_page import DuesPage

THIS_YEAR = datetime.date.today().year


def _count(reg: Registry) -> tuple[int, int]:
    return int(reg.scalar("SELECT count(*) FROM audit_log")), int(reg.scalar("SELECT count(*) FROM operations"))


@pytest.fixture
def branch_reg(reg: Registry) -> dict[str, int]:
    setup_branch(reg)
    people = {"王芳": member(reg, 1, "王芳"), "李强": member(reg, 2, "李强"), "赵刚": member(reg, 3, "赵刚"),
              "周敏": member(reg, 4, "周敏", relation="流入", flowing="是", home_organization="南充市某村党支部")}
    first = f"{THIS_YEAR}-01"
    dues.set_base(reg, people["王芳"], BaseInput(first, "在职", "4200"))
    dues.set_base(reg, people["李强"], BaseInput(first, "在职", "2800", amount="20"))  # 自愿多交
    dues.pay(reg, [people["王芳"]], PaymentInput(first, f"{THIS_YEAR}-01-20"))
    return people


def test_the_grid_and_its_filters(qtbot: Any, reg: Registry, branch_reg: dict[str, int]) -> None:
    page = DuesPage(reg)
    qtbot.addWidget(page)
    names = {page.model.rows[i]["name"] for i in range(page.model.row_count())}
    assert names == {"王芳", "李强", "赵刚", "周敏"}
    january = page.model.index([r["name"] for r in page.model.rows].index("王芳"), 4)
    assert january.data() == "42.00" and january.data(Qt.ItemDataRole.ToolTipRole).endswith("已交42.00元")
    page.which.setCurrentIndex(page.which.findData("unregistered"))
    assert [r["name"] for r in page.model.rows] == ["赵刚"]
    page.which.setCurrentIndex(page.which.findData("home"))
    assert [r["name"] for r in page.model.rows] == ["周敏"]
    page.which.setCurrentIndex(page.which.findData("all"))
    page.search.setText("李")
    assert [r["name"] for r in page.model.rows] == ["李强"]
    page.search.clear()
    page.table.sortByColumn(3, Qt.SortOrder.DescendingOrder)  # 每月应交, as numbers
    top = page.proxy.index(0, 0).data()
    assert top == "王芳"


def test_paying_for_several_members_and_months(qtbot: Any, reg: Registry, branch_reg: dict[str, int]) -> None:
    if datetime.date.today().month < 3:
        pytest.skip("needs two past months this year")
    page = DuesPage(reg)
    qtbot.addWidget(page)
    rows = [r["name"] for r in page.model.rows]
    selection = page.table.selectionModel()
    for name in ("王芳", "李强"):
        index = page.proxy.mapFromSource(page.model.index(rows.index(name), 5))  # February
        selection.select(index, QItemSelectionModel.SelectionFlag.Select)
    assert sorted(page.selected_people()) == sorted([branch_reg["王芳"], branch_reg["李强"]])
    assert page.selected_months() == (f"{THIS_YEAR}-02", f"{THIS_YEAR}-02")
    dialog = DuesPaymentDialog(reg, page.selected_people(), page, months=page.selected_months())
    qtbot.addWidget(dialog)
    assert "王芳应交42.00元" in dialog.due.text() and "李强应交20.00元" in dialog.due.text()
    dialog.save()
    assert dialog.result() == DuesPaymentDialog.DialogCode.Accepted
    assert [str(p.amount) for p in payments_of(reg, branch_reg["李强"])] == ["20.00"]


def test_payment_dialog_saved_unchanged_writes_nothing(qtbot: Any, reg: Registry, branch_reg: dict[str, int]) -> None:
    pid = branch_reg["王芳"]
    payment = payments_of(reg, pid)[0]
    before = _count(reg)
    dialog = DuesPaymentDialog(reg, [pid], payment_id=payment.id)
    qtbot.addWidget(dialog)
    dialog.save()
    assert dialog.error.text() == ""
    assert _count(reg) == before and payments_of(reg, pid) == [payment]
    dialog = DuesPaymentDialog(reg, [pid], payment_id=payment.id)
    qtbot.addWidget(dialog)
    dialog.paid_on.setText(f"{THIS_YEAR}-01-21")
    dialog.save()
    assert payments_of(reg, pid)[0].paid_on == f"{THIS_YEAR}-01-21"
    assert _count(reg)[0] == before[0] + 1


@pytest.mark.parametrize("name", ["王芳", "李强"])
def test_base_dialog_saved_unchanged_writes_nothing(qtbot: Any, reg: Registry, branch_reg: dict[str, int],
                                                    name: str) -> None:
    pid = branch_reg[name]
    base = bases_of(reg, pid)[0]
    before = _count(reg)
    dialog = DuesBaseDialog(reg, pid, base_id=base.id)
    qtbot.addWidget(dialog)
    assert not dialog.is_dirty()
    dialog.save()
    assert dialog.error.text() == ""
    assert _count(reg) == before and bases_of(reg, pid) == [base]


def test_base_dialog_explains_the_rate_and_refuses_less_without_reason(qtbot: Any, reg: Registry,
                                                                       branch_reg: dict[str, int]) -> None:
    dialog = DuesBaseDialog(reg, branch_reg["赵刚"])
    qtbot.addWidget(dialog)
    dialog.base.setText("6000")
    assert dialog.rate.text().startswith("按规定每月应交90.00元（1.5%")
    dialog.amount.setText("50")
    dialog.save()
    assert "请填写原因" in dialog.error.text() and bases_of(reg, branch_reg["赵刚"]) == []
    dialog.reason.setText("家庭困难，支部研究同意")
    dialog.save()
    assert [str(b.amount) for b in bases_of(reg, branch_reg["赵刚"])] == ["50.00"]


def test_export_from_the_page(qtbot: Any, reg: Registry, branch_reg: dict[str, int], tmp_path: Path,
                              monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(QMessageBox, "information", lambda *a, **k: QMessageBox.StandardButton.Ok)
    page = DuesPage(reg)
    qtbot.addWidget(page)
    out = tmp_path / "党费.xlsx"
    listed = arrears_list(reg)
    assert page.export_to(out) == 4 + len(listed["arrears"]) + 1  # four members; the arrears; 赵刚 has no base
    assert load_workbook(out).sheetnames == ["年度汇总", "欠缴名单"]


def test_the_transfer_letter_offers_paid_to(qtbot: Any, reg: Registry, branch_reg: dict[str, int]) -> None:
    from ui.dialogs.flowing_dialog import TransferDialog

    dialog = TransferDialog(reg, branch_reg["王芳"], "out")
    qtbot.addWidget(dialog)
    assert dialog.dues_paid_to.placeholderText() == f"不填则按党费交纳记录：{THIS_YEAR}年1月"


def test_a_base_can_be_deleted_from_its_dialog(qtbot: Any, reg: Registry, branch_reg: dict[str, int],
                                               monkeypatch: pytest.MonkeyPatch) -> None:
    pid = branch_reg["李强"]
    base = bases_of(reg, pid)[0]
    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog = DuesBaseDialog(reg, pid, base_id=base.id)
    qtbot.addWidget(dialog)
    dialog.delete()
    assert bases_of(reg, pid) == []
    assert reg.scalar("SELECT op FROM audit_log WHERE entity = 'dues_bases' ORDER BY id DESC LIMIT 1") == "delete"
    held = bases_of(reg, branch_reg["王芳"])[0]  # 王芳 has a payment on hers: refused with a sentence
    dialog = DuesBaseDialog(reg, branch_reg["王芳"], base_id=held.id)
    qtbot.addWidget(dialog)
    dialog.delete()
    assert "请先修改或删除那条交纳记录" in dialog.error.text() and bases_of(reg, branch_reg["王芳"]) == [held]
