"""The reports dialog: previews generated in the background, then saved, exported and printed without a dialog."""

from __future__ import annotations

import json
import stat
import sys
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.demo import fill_demo
from registry.reports.choices import PERSONAL
from registry.services.organizations import list_orgs
from registry.services.search import PeopleFilter, search_people
from registry.storage.database import Registry
from ui import file_dialogs, worker
from ui.dialogs.report_dialog import KINDS, ReportDialog


class Answers:
    """Stands in for the file and message dialogs: records what was asked and shown."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save_name = ""
        self.asked: list[str] = []
        self.messages: list[tuple[str, str]] = []
        monkeypatch.setattr(file_dialogs, "get_save_file_name", self._save)
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

    def _save(self, _parent: Any, _title: str, default: str, _filter: str, *rest: Any) -> tuple[str, str]:
        self.asked.append(default)
        return self.save_name, ""

    def _recorder(self, kind: str) -> Any:
        def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
            self.messages.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return record


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    registry = Registry(tmp_path_factory.mktemp("demo") / "demo.db", operator="测试员", create=True)
    fill_demo(registry, people=80)
    yield registry
    registry.close()


def make(qtbot: Any, reg: Registry, **kwargs: Any) -> ReportDialog:
    dialog = ReportDialog(reg, **kwargs)
    qtbot.addWidget(dialog)
    dialog.show()
    return dialog


def choose(dialog: ReportDialog, kind: str) -> None:
    dialog.kind_group.button([k for k, _ in KINDS].index(kind)).setChecked(True)


def preview(qtbot: Any, dialog: ReportDialog) -> None:
    dialog.generate()
    qtbot.waitUntil(lambda: dialog.request is not None and dialog.document.pageCount() > 0 and not dialog._busy,
                    timeout=30000)
    assert dialog.document.status() == QPdfDocument.Status.Ready


def page_text(doc: QPdfDocument, page: int = 0) -> str:
    return doc.getAllText(page).text()


def exports(reg: Registry) -> list[dict[str, Any]]:
    return [json.loads(r["new"]) for r in reg.query("SELECT new FROM audit_log WHERE entity = 'exports' ORDER BY id")]


def test_monthly_preview_with_page_navigation(qtbot: Any, demo: Registry, answers: Answers) -> None:
    dialog = make(qtbot, demo)
    assert dialog.kind() == "monthly" and dialog.month.date().toPython().replace(day=1) == date.today().replace(day=1)
    assert not dialog.print_button.isEnabled() and not dialog.save_button.isEnabled()
    preview(qtbot, dialog)
    pages = dialog.document.pageCount()
    assert pages > 1 and dialog.page_label.text() == f"第 1 页 共 {pages} 页"
    assert "快递行业党建工作月报" in page_text(dialog.document)
    assert dialog.figures is not None and dialog.figures["period"]["kind"] == "month"
    assert dialog.print_button.isEnabled() and dialog.save_button.isEnabled() and dialog.excel_button.isEnabled()
    dialog.next_button.click()
    qtbot.waitUntil(lambda: dialog.page_label.text() == f"第 2 页 共 {pages} 页")
    assert dialog.previous_button.isEnabled()
    dialog.zoom.setCurrentIndex(4)  # 100%
    assert dialog.view.zoomFactor() == 1.0
    # The preview leaves no trace in the audit log: only saving does.
    assert not any(e.get("report") == "monthly" for e in exports(demo))
    dialog.month.setDate(dialog.month.date().addMonths(-1))
    assert "已更改" in dialog.status.text()
    assert answers.messages == []
    shown = dialog.preview
    assert shown is not None and not shown.exists()  # read into memory and removed at once
    dialog.reject()
    assert not dialog.isVisible() and dialog.request is None and dialog.document.pageCount() == 0


def test_half_month_preview_and_excel_export(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path) -> None:
    dialog = make(qtbot, demo)
    choose(dialog, "halfmonth")
    assert dialog.half.isEnabled()
    dialog.half.setCurrentIndex(0)
    preview(qtbot, dialog)
    assert "半月通报" in page_text(dialog.document)
    assert dialog.request is not None and dialog.request.period is not None
    assert dialog.request.period.start.day == 1 and dialog.request.period.end.day == 15
    answers.save_name = str(tmp_path / "半月数据")
    dialog.export_excel()
    worker.wait_idle()
    out = tmp_path / "半月数据.xlsx"
    assert answers.asked[-1].endswith("数据.xlsx") and ("information", f"已保存到“{out}”。") in answers.messages
    assert "总体情况" in openpyxl.load_workbook(out).sheetnames
    assert exports(demo)[-1]["file"] == str(out.resolve())


def test_roster_preview_follows_filter_and_organisation(qtbot: Any, demo: Registry, answers: Answers) -> None:
    branch = next(o for o in list_orgs(demo) if o["depth"] == 1 and o["people"])
    dialog = make(qtbot, demo, initial_filter=PeopleFilter(categories=["正式党员", "预备党员"]))
    assert "正式党员" in dialog.filter_note.text()
    choose(dialog, "roster")
    assert not dialog.month.isEnabled() and dialog.order.isEnabled() and not dialog.show_id.isChecked()
    assert not dialog.excel_button.isVisible()
    dialog.org.setCurrentIndex(dialog.org.findData(branch["name"]))
    preview(qtbot, dialog)
    req = dialog.request
    assert req is not None and req.people is not None and req.people.org_ids
    size = dialog.document.pagePointSize(0)
    assert size.width() > size.height()  # A4 landscape
    text = "".join(page_text(dialog.document, p) for p in range(dialog.document.pageCount()))
    people = search_people(demo, req.people)
    assert people and all(p["name"] in text for p in people)
    assert all(p["id_number"] not in text for p in people)  # masked by default
    assert dialog.figures is None and not dialog.excel_button.isEnabled()


def test_person_documents_only_with_a_person(qtbot: Any, demo: Registry, answers: Answers) -> None:
    dialog = make(qtbot, demo)
    for i, (key, _) in enumerate(KINDS):
        assert dialog.kind_group.button(i).isEnabled() == (key not in PERSONAL)
    person = search_people(demo, PeopleFilter(categories=["正式党员"]))[0]
    dialog = make(qtbot, demo, person_id=person["id"])
    assert person["name"] in dialog.kind_group.button(3).text()
    choose(dialog, "record")
    assert not dialog.org.isEnabled() and dialog.show_id.isEnabled()
    preview(qtbot, dialog)
    assert "发展党员工作全程纪实表" in page_text(dialog.document)


def test_save_as_pdf_writes_the_previewed_report(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path) -> None:
    dialog = make(qtbot, demo)
    preview(qtbot, dialog)
    shown = dialog.request
    choose(dialog, "roster")  # changed but not previewed: the previewed report is still what is saved
    answers.save_name = str(tmp_path / "十一月月报")
    dialog.save_pdf()
    worker.wait_idle()
    out = tmp_path / "十一月月报.pdf"
    assert out.read_bytes().startswith(b"%PDF")
    assert dialog.request == shown and answers.messages == [("information", f"已保存到“{out}”。")]
    record = exports(demo)[-1]
    assert record["file"] == str(out.resolve()) and record["report"] == "monthly"
    saved = QPdfDocument()
    saved.load(str(out))
    assert saved.pageCount() == dialog.document.pageCount()


def test_save_into_a_missing_folder_is_a_warning(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path) -> None:
    dialog = make(qtbot, demo)
    preview(qtbot, dialog)
    answers.save_name = str(tmp_path / "没有这个文件夹" / "月报.pdf")
    dialog.save_pdf()
    worker.wait_idle()
    kind, text = answers.messages[-1]
    assert kind == "warning" and "不存在" in text
    assert dialog.panel.isEnabled() and dialog.save_button.isEnabled() and dialog.isVisible()


def test_print_renders_every_page_onto_the_printer(qtbot: Any, demo: Registry, answers: Answers, tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    out = tmp_path / "打印.pdf"
    seen: list[QPrintDialog] = []

    def accept(self: QPrintDialog) -> int:
        seen.append(self)
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(out))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog = make(qtbot, demo)
    choose(dialog, "roster")
    preview(qtbot, dialog)
    dialog.print_report()
    assert seen and dialog.printer is not None
    printed = QPdfDocument()
    printed.load(str(out))
    assert printed.pageCount() == dialog.document.pageCount()
    size = printed.pagePointSize(0)
    assert size.width() > size.height() and abs(size.width() - 842) < 2  # A4 landscape
    assert answers.messages == []


def test_a_full_number_preview_is_logged_and_its_file_is_a_swept_scratch_file(qtbot: Any, demo: Registry,
                                                                             answers: Answers) -> None:
    from registry import scratch

    person = search_people(demo, PeopleFilter(categories=["正式党员"]))[0]
    dialog = make(qtbot, demo, person_id=person["id"])
    choose(dialog, "form")
    dialog.show_id.setChecked(True)
    before = demo.scalar("SELECT count(*) FROM audit_log WHERE entity = 'reveals'")
    preview(qtbot, dialog)
    assert demo.scalar("SELECT count(*) FROM audit_log WHERE entity = 'reveals'") == before + 1
    shown = dialog.preview
    assert shown is not None and scratch.PATTERN.fullmatch(shown.name)  # a kill while building: swept
    assert str(shown.parent.resolve()) in scratch.journal_path().read_text(encoding="utf-8")
    assert stat.S_IMODE(shown.parent.stat().st_mode) == 0o700 or sys.platform == "win32"
    assert not shown.exists() and dialog.document.pageCount() >= 1  # shown from memory, nothing left on disk
