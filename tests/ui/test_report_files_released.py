"""The reports dialog holds no file open: previews, saved PDFs, Excel figures and printed PDFs can be deleted
or replaced at once while it stays open (Windows refuses both on a file a handle still holds)."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrintDialog, QPrinter
from PySide6.QtWidgets import QDialog, QMessageBox

from registry.demo import fill_demo
from registry.storage.database import Registry
from ui import file_dialogs, worker
from ui.dialogs.report_dialog import KINDS, ReportDialog


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    registry = Registry(tmp_path_factory.mktemp("demo") / "demo.db", operator="测试员", create=True)
    fill_demo(registry, people=40, seed=3)
    yield registry
    registry.close()


@pytest.fixture
def saves_to(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The next names the save dialog answers; message boxes are recorded instead of shown."""
    names: list[str] = []
    monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *_a, **_k: (names.pop(0), ""))
    messages: list[str] = []
    for kind in ("warning", "critical", "information"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *_r: messages.append(text) or
                            QMessageBox.StandardButton.Ok)
    return names


def preview(qtbot: Any, dialog: ReportDialog, kind: str) -> None:
    dialog.kind_group.button([k for k, _ in KINDS].index(kind)).setChecked(True)
    dialog.generate()
    qtbot.waitUntil(lambda: dialog.request is not None and dialog.request.kind == kind and not dialog._busy
                    and dialog.document.pageCount() > 0, timeout=30000)


def released(path: Path) -> None:
    """Replace the file and then delete it, as Excel's save and the secretary's Delete key would."""
    other = path.with_name("替换用.tmp")
    other.write_bytes(b"x")
    os.replace(other, path)  # [WinError 5] on Windows if any handle still holds `path`
    path.unlink()  # [WinError 32] likewise


def test_previews_leave_no_file_and_hold_none(qtbot: Any, demo: Registry, saves_to: list[str]) -> None:
    dialog = ReportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    shown = []
    for kind in ("monthly", "roster", "monthly"):
        preview(qtbot, dialog, kind)
        assert dialog.preview is not None
        shown.append(dialog.preview)
        assert [p.name for p in dialog.tmp.iterdir()] == []  # read into memory, deleted at once
    assert len(set(shown)) == 3 and not any(p.exists() for p in shown)
    dialog.reject()


def test_saved_exported_and_printed_files_are_let_go(qtbot: Any, demo: Registry, saves_to: list[str],
                                                    tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    printed = tmp_path / "打印.pdf"

    def accept(self: QPrintDialog) -> int:
        self.printer().setOutputFormat(QPrinter.OutputFormat.PdfFormat)
        self.printer().setOutputFileName(str(printed))
        return QDialog.DialogCode.Accepted

    monkeypatch.setattr(QPrintDialog, "exec", accept)
    dialog = ReportDialog(demo)
    qtbot.addWidget(dialog)
    dialog.show()
    preview(qtbot, dialog, "monthly")
    saves_to.extend([str(tmp_path / "月报.pdf"), str(tmp_path / "月报数据.xlsx")])
    dialog.save_pdf()
    worker.wait_idle()
    dialog.export_excel()
    worker.wait_idle()
    dialog.print_report()
    for path in (tmp_path / "月报.pdf", tmp_path / "月报数据.xlsx", printed):
        assert path.stat().st_size > 0, path
        released(path)  # while the dialog is still open, its preview on screen
    assert dialog.document.pageCount() > 0 and dialog.isVisible()
    dialog.reject()
