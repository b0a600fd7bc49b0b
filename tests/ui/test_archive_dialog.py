"""报送/存档 in the report dialog and the 报送存档 dialog: the previewed PDF is submitted, then handed out unchanged."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QDate
from PySide6.QtPdf import QPdfDocument
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.demo import fill_demo
from registry.services.people import add_person
from registry.services.submissions import list_submissions, stored_pdf
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985
from ui import file_dialogs, worker
from ui.dialogs.archive_dialog import ArchiveDialog
from ui.dialogs.report_dialog import ReportDialog


class Answers:
    """Stands in for the message boxes and the save dialog: records what was shown, answers as set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.save_name = ""
        self.confirm = QMessageBox.StandardButton.Yes
        self.questions: list[str] = []
        self.messages: list[tuple[str, str]] = []
        monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *_a: (self.save_name, ""))
        monkeypatch.setattr(QMessageBox, "question", self._question)
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))

    def _question(self, _parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
        self.questions.append(text)
        return self.confirm

    def _recorder(self, kind: str) -> Any:
        def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
            self.messages.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return record


@pytest.fixture
def answers(monkeypatch: pytest.MonkeyPatch) -> Answers:
    return Answers(monkeypatch)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Registry]:
    registry = Registry(tmp_path / "demo.db", operator="测试员", create=True)
    fill_demo(registry, people=30, today=date(2026, 11, 24))
    yield registry
    registry.close()


def october_preview(qtbot: Any, reg: Registry) -> ReportDialog:
    dialog = ReportDialog(reg)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.month.setDate(QDate(2026, 10, 1))
    dialog.generate()
    qtbot.waitUntil(lambda: dialog.request is not None and dialog.document.pageCount() > 0 and not dialog._busy,
                    timeout=30000)
    return dialog


def shown_bytes(dialog: ReportDialog) -> bytes:
    return bytes(dialog._pdf.data().data())


def test_submit_asks_then_stores_the_previewed_pdf(qtbot: Any, demo: Registry, answers: Answers) -> None:
    dialog = october_preview(qtbot, demo)
    assert dialog.submit_button.isEnabled() and dialog.archive_button.isEnabled()
    answers.confirm = QMessageBox.StandardButton.No
    dialog.submit_button.click()
    assert answers.questions and "报送后本期报表将被锁定" in answers.questions[0]
    assert list_submissions(demo) == []  # declined: nothing stored
    answers.confirm = QMessageBox.StandardButton.Yes
    previewed = shown_bytes(dialog)
    dialog.submit_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    [stored] = list_submissions(demo)
    assert stored["sha256"] == hashlib.sha256(previewed).hexdigest() and stored["period"]["label"] == "2026年10月"
    assert answers.messages[-1][0] == "information" and "已锁定" in answers.messages[-1][1]
    assert not dialog.submit_button.isEnabled() and "已于" in dialog.status.text()


def test_a_submitted_period_previews_and_saves_as_submitted(qtbot: Any, demo: Registry, answers: Answers,
                                                            tmp_path: Path) -> None:
    dialog = october_preview(qtbot, demo)
    dialog.submit_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    [stored] = list_submissions(demo)
    add_person(demo, name="晚录入", id_number=ID_MAN_1985, category="正式党员", joined_on="2001-07",
               managed_from="2026-09-01", managed_how="摸排新纳入")  # a later correction of October
    dialog.generate()
    qtbot.waitUntil(lambda: not dialog._busy and dialog.document.pageCount() > 0, timeout=30000)
    assert shown_bytes(dialog) == stored_pdf(demo, stored["id"])
    assert not dialog.submit_button.isEnabled() and "报送存档中的原件" in dialog.status.text()
    answers.save_name = str(tmp_path / "十月月报")
    dialog.save_pdf()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    assert hashlib.sha256((tmp_path / "十月月报.pdf").read_bytes()).hexdigest() == stored["sha256"]


def test_archive_lists_saves_and_prints_the_stored_pdf(qtbot: Any, demo: Registry, answers: Answers,
                                                       tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    empty = ArchiveDialog(demo)
    qtbot.addWidget(empty)
    assert empty.table.rowCount() == 0 and not empty.save_button.isEnabled() and not empty.print_button.isEnabled()
    dialog = october_preview(qtbot, demo)
    dialog.submit_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    [stored] = list_submissions(demo)
    archive = ArchiveDialog(demo, dialog)
    qtbot.addWidget(archive)
    archive.show()
    assert archive.width() <= 1024 and archive.height() <= 768
    assert archive.table.rowCount() == 1 and archive.table.item(0, 2).text() == "2026年10月"
    assert archive.table.item(0, 1).text() == "月报" and archive.table.item(0, 3).text() == "全部"
    answers.save_name = str(tmp_path / "重印")
    archive.save_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not archive._busy)
    saved = tmp_path / "重印.pdf"
    assert saved.read_bytes() == stored_pdf(demo, stored["id"])
    assert ("information", f"已按报送存档原样保存到“{saved}”。") in answers.messages

    printed = tmp_path / "打印.pdf"

    def accept(self: QPrintDialog) -> int:
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    archive.print_button.click()
    document = QPdfDocument()
    document.load(str(printed))
    original = QPdfDocument()
    original.load(str(saved))
    assert document.pageCount() == original.pageCount() > 0


def test_a_failed_save_is_a_warning_and_the_dialog_stays(qtbot: Any, demo: Registry, answers: Answers,
                                                         tmp_path: Path) -> None:
    dialog = october_preview(qtbot, demo)
    dialog.submit_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    archive = ArchiveDialog(demo)
    qtbot.addWidget(archive)
    answers.save_name = str(tmp_path / "没有" / "x.pdf")
    archive.save_selected()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not archive._busy)
    kind, text = answers.messages[-1]
    assert kind == "warning" and "不存在" in text and archive.save_button.isEnabled()


def test_the_next_month_previews_with_the_submitted_previous(qtbot: Any, demo: Registry, answers: Answers) -> None:
    dialog = october_preview(qtbot, demo)
    dialog.submit_button.click()
    worker.wait_idle()
    qtbot.waitUntil(lambda: not dialog._busy)
    add_person(demo, name="晚录入", id_number=ID_MAN_1985, category="正式党员", joined_on="2001-07",
               managed_from="2026-09-01", managed_how="摸排新纳入")
    dialog.month.setDate(QDate(2026, 11, 1))
    dialog.generate()
    qtbot.waitUntil(lambda: not dialog._busy and dialog.request is not None
                    and dialog.request.period is not None and dialog.request.period.start.month == 11, timeout=30000)
    figures = dialog.figures
    assert figures is not None and figures["previous"]["source"] == "submitted" and not figures["submitted"]
    assert {d["line"]: d["people"] for d in figures["differences"]}["党员合计"] == ["晚录入"]
    assert dialog.submit_button.isEnabled()
    assert "差异说明" in "".join(dialog.document.getAllText(p).text() for p in range(dialog.document.pageCount()))
