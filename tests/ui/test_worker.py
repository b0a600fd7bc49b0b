"""The background helper: results and errors come back on the GUI thread; cancel stops at the next progress call."""

from __future__ import annotations

import threading
import time
from typing import Any

import pytest
from PySide6.QtWidgets import QMessageBox, QPushButton, QWidget

from registry.errors import UserError
from ui import worker


@pytest.fixture
def messages(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, str]]:
    seen: list[tuple[str, str]] = []
    for kind in ("warning", "critical"):
        monkeypatch.setattr(QMessageBox, kind, lambda _p, _t, text, *a, k=kind: seen.append((k, text)))
    return seen


@pytest.fixture
def parent(qtbot: Any) -> QWidget:
    widget = QWidget()
    qtbot.addWidget(widget)
    yield widget
    worker.wait_idle()


def test_result_arrives_on_the_gui_thread(qtbot: Any, parent: QWidget) -> None:
    seen: list[Any] = []

    def work(progress: worker.Progress, cancelled: worker.IsCancelled) -> str:
        for i in range(5):
            progress("计算", i + 1, 5)
        return threading.current_thread().name

    worker.run_in_background(parent, work, lambda result: seen.append((result, threading.current_thread())))
    assert worker.busy()
    assert worker.wait_idle()
    (name, thread), = seen
    assert thread is threading.main_thread() and name != threading.main_thread().name


def test_user_error_and_unexpected_error(qtbot: Any, parent: QWidget, messages: list[tuple[str, str]],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    def refuse(_p: Any, _c: Any) -> None:
        raise UserError("文件已损坏，请另存后再导入。")

    def crash(_p: Any, _c: Any) -> None:
        raise KeyError("oops")

    worker.run_in_background(parent, refuse, lambda _r: pytest.fail("no result expected"))
    worker.wait_idle()
    worker.run_in_background(parent, crash, lambda _r: pytest.fail("no result expected"))
    worker.wait_idle()
    assert messages == [("warning", "文件已损坏，请另存后再导入。"), ("critical", worker.UNEXPECTED)]
    assert "KeyError" in capsys.readouterr().err


def test_on_error_replaces_the_default_message(qtbot: Any, parent: QWidget, messages: list[tuple[str, str]]) -> None:
    errors: list[BaseException] = []
    worker.run_in_background(parent, lambda _p, _c: 1 / 0, lambda _r: None, on_error=errors.append)
    worker.wait_idle()
    assert isinstance(errors[0], ZeroDivisionError) and messages == []


def test_cancel_stops_at_the_next_progress_call(qtbot: Any, parent: QWidget) -> None:
    started, steps, outcome = threading.Event(), [], []

    def work(progress: worker.Progress, cancelled: worker.IsCancelled) -> str:
        started.set()
        for i in range(200):
            progress("写入", i, 200)
            steps.append(i)
            time.sleep(0.01)
        return "finished"

    worker.run_in_background(parent, work, outcome.append, on_cancel=lambda: outcome.append("cancelled"))
    started.wait(5)
    task = next(iter(worker._running))
    button = task.dialog.findChild(QPushButton)
    assert button.text() == "取消"
    button.click()
    worker.wait_idle()
    assert outcome == ["cancelled"] and len(steps) < 200


def test_progress_dialog_appears_for_long_work(qtbot: Any, parent: QWidget) -> None:
    release, done = threading.Event(), []

    def work(progress: worker.Progress, _cancelled: worker.IsCancelled) -> int:
        progress("校验", 5000, 0)
        release.wait(10)
        return 1

    parent.show()
    worker.run_in_background(parent, work, done.append, title="正在读取表格")
    task = next(iter(worker._running))
    qtbot.waitUntil(task.dialog.isVisible, timeout=3000)
    assert task.dialog.labelText() == "正在读取表格：校验（已处理 5000 行）"
    release.set()
    worker.wait_idle()
    assert done == [1]
