"""Long work off the GUI thread: one helper with a progress dialog, cancel, and failures shown in Chinese."""

from __future__ import annotations

import sqlite3
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QDeadlineTimer, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog, QWidget

from registry.errors import UserError
from registry.storage.database import Registry
from registry.storage.sqlite_errors import user_error

T = TypeVar("T")
Progress = Callable[[str, int, int], None]  # (stage, done, total); total 0 = unknown
IsCancelled = Callable[[], bool]

UNEXPECTED = "操作没有完成：程序遇到了意外问题。请再试一次；如果仍然出现，请把当时的操作告诉技术支持人员。"
PROGRESS_INTERVAL = 0.05  # seconds between progress signals: the GUI thread is not flooded
SHOW_AFTER_MS = 300  # quick work finishes before any dialog flashes up

_running: set[_Task] = set()  # tasks stay referenced until their thread has finished
_quit_hooked = False


class OperationCancelled(Exception):
    """Raised by the progress callback once the user pressed 取消; the work stops at that point."""


class _Thread(QThread):
    progressed = Signal(str, int, int)
    succeeded = Signal(object)
    failed = Signal(object)

    def __init__(self, fn: Callable[[Progress, IsCancelled], Any]) -> None:
        super().__init__()
        self.fn = fn
        self._last = 0.0

    def _progress(self, stage: str, done: int, total: int) -> None:
        # Called on the worker thread: only signals leave it, never a widget call.
        if self.isInterruptionRequested():
            raise OperationCancelled
        now = time.monotonic()
        if now - self._last >= PROGRESS_INTERVAL or (total and done >= total):
            self._last = now
            self.progressed.emit(stage, done, total)

    def run(self) -> None:
        try:
            result = self.fn(self._progress, self.isInterruptionRequested)
        except BaseException as exc:  # everything goes back to the GUI thread, which decides what to show
            self.failed.emit(exc)
        else:
            self.succeeded.emit(result)


class _Task(QObject):
    """Lives on the GUI thread: receives the worker's signals (queued) and drives the dialog and callbacks."""

    def __init__(self, parent: QWidget, fn: Callable[[Progress, IsCancelled], Any], on_done: Callable[[Any], None],
                 on_error: Callable[[BaseException], None] | None, on_cancel: Callable[[], None] | None,
                 title: str, cancellable: bool) -> None:
        super().__init__()  # no Qt parent: the task must outlive a widget closed while it runs
        self.parent_widget = parent
        self.on_done, self.on_error, self.on_cancel = on_done, on_error, on_cancel
        self.title = title
        self.dialog = QProgressDialog(f"{title}…", "取消" if cancellable else "", 0, 0, parent)
        self.dialog.setWindowTitle(title)
        self.dialog.setWindowModality(Qt.WindowModality.WindowModal)
        self.dialog.setMinimumDuration(SHOW_AFTER_MS)
        self.dialog.setMinimumWidth(420)
        self.dialog.setAutoClose(False)
        self.dialog.setAutoReset(False)
        if not cancellable:
            self.dialog.setCancelButton(None)
        self.thread = _Thread(fn)
        queued = Qt.ConnectionType.QueuedConnection
        self.thread.progressed.connect(self._progressed, queued)
        self.thread.succeeded.connect(self._succeeded, queued)
        self.thread.failed.connect(self._failed, queued)
        self.thread.finished.connect(self._finished, queued)
        self.dialog.canceled.connect(self._cancel)
        self.outcome: tuple[str, Any] | None = None

    def start(self) -> None:
        _running.add(self)
        self.dialog.setValue(0)
        self.thread.start()

    @Slot()
    def _cancel(self) -> None:
        self.thread.requestInterruption()
        self.dialog.setLabelText("正在取消，请稍候…")

    @Slot(str, int, int)
    def _progressed(self, stage: str, done: int, total: int) -> None:
        if self.thread.isInterruptionRequested() or not shiboken6.isValid(self.dialog):
            return
        text = f"{self.title}：{stage}" if stage else f"{self.title}…"
        if total > 0:
            self.dialog.setRange(0, total)
            self.dialog.setValue(min(done, total))
            text += f"（{done} / {total}）"
        else:
            self.dialog.setRange(0, 0)
            if done:
                text += f"（已处理 {done} 行）"
        self.dialog.setLabelText(text)

    @Slot(object)
    def _succeeded(self, result: object) -> None:
        self.outcome = ("done", result)

    @Slot(object)
    def _failed(self, exc: object) -> None:
        self.outcome = ("error", exc)

    @Slot()
    def _finished(self) -> None:
        # The outcome signals were queued before `finished`, so they have been delivered by now.
        _running.discard(self)
        if shiboken6.isValid(self.dialog):
            self.dialog.reset()
            self.dialog.hide()
            self.dialog.deleteLater()
        self.thread.wait()
        self.thread.deleteLater()
        self.deleteLater()
        alive = shiboken6.isValid(self.parent_widget)
        kind, value = self.outcome or ("error", RuntimeError("worker ended without a result"))
        if kind == "error" and isinstance(value, sqlite3.Error):  # on_error handlers get the sentence too
            value = user_error(value, _db_path(self.parent_widget)) or value
        if not alive:
            if kind == "error" and not isinstance(value, (UserError, OperationCancelled)):
                _log(value)
            return
        if kind == "done":
            self.on_done(value)
        elif isinstance(value, OperationCancelled):
            if self.on_cancel is not None:
                self.on_cancel()
        elif self.on_error is not None:
            if not isinstance(value, UserError):
                _log(value)
            self.on_error(value)
        else:
            show_error(self.parent_widget, value)


def _db_path(widget: object) -> Path | None:
    alive = isinstance(widget, QObject) and shiboken6.isValid(widget)
    reg = getattr(widget, "reg", None) if alive else None
    return getattr(reg, "path", None)


def _log(exc: BaseException) -> None:
    print("快递行业党建台账: 后台操作出错", file=sys.stderr)
    traceback.print_exception(type(exc), exc, exc.__traceback__, file=sys.stderr)


def show_error(parent: QWidget | None, exc: BaseException, title: str = "提示") -> None:
    """A UserError's own sentence as a warning; anything else one plain sentence (the details go to stderr).

    SQLite's user situations (disk full, read-only, locked, damaged) are shown as the sentence naming the cause.
    """
    if isinstance(exc, sqlite3.Error):
        exc = user_error(exc, _db_path(parent)) or exc
    if isinstance(exc, UserError):
        QMessageBox.warning(parent, title, exc.message)
    elif isinstance(exc, OperationCancelled):
        return
    else:
        _log(exc)
        QMessageBox.critical(parent, "出错了", UNEXPECTED)


def run_in_background(parent: QWidget, fn: Callable[[Progress, IsCancelled], T], on_done: Callable[[T], None],
                      on_error: Callable[[BaseException], None] | None = None, title: str = "请稍候",
                      cancellable: bool = True, on_cancel: Callable[[], None] | None = None) -> None:
    """Run fn(progress, cancelled) on a worker thread; on_done/on_error/on_cancel are called on the GUI thread.

    fn must not touch widgets. Once 取消 is pressed, the next progress() call raises OperationCancelled (a
    service inside a transaction then rolls back), and cancelled() returns True for loops that poll it.
    Without on_error, a UserError's message is shown as a warning and anything else as one Chinese sentence.
    If fn finishes although 取消 was pressed, its result still counts: on_done is called.
    """
    global _quit_hooked
    task = _Task(parent, fn, on_done, on_error, on_cancel, title, cancellable)
    app = QCoreApplication.instance()
    if app is not None and not _quit_hooked:
        app.aboutToQuit.connect(_join_all)
        _quit_hooked = True
    task.start()


def _join_all() -> None:
    """On quit: ask every worker to stop and wait, so no thread is destroyed mid-transaction."""
    for task in list(_running):
        task.thread.requestInterruption()
    for task in list(_running):
        task.thread.wait()


def busy() -> bool:
    """True while any background operation has not yet delivered its outcome."""
    return bool(_running)


def wait_idle(timeout_ms: int = 30000) -> bool:
    """Process events until every background operation has finished and called back (tests, quitting)."""
    deadline = QDeadlineTimer(timeout_ms)
    while _running and not deadline.hasExpired():
        for task in list(_running):
            task.thread.wait(QDeadlineTimer(20))
        QApplication.processEvents()
    QApplication.processEvents()
    return not _running


def own_connection(reg: Registry, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
    """Run a registry use case on its own connection: the GUI thread keeps reading its own meanwhile."""
    with reg.clone() as mine:
        return fn(mine, *args, **kwargs)


def in_process(progress: Progress, cancelled: IsCancelled, target: Callable[..., T], *args: Any) -> T:
    """Run target(*args, progress_queue) in a child process, relaying its progress; 取消 stops the child.

    Called from a run_in_background worker: the worker thread only waits, so the GUI thread keeps the
    interpreter. The child's exception (a UserError with its Chinese sentence) is raised here again.
    """
    import multiprocessing as mp
    import queue as queue_module

    ctx = mp.get_context("spawn")
    updates = ctx.Queue()
    results = ctx.Queue()
    child = ctx.Process(target=_child_main, args=(target, args, updates, results), daemon=True)
    child.start()
    try:
        while True:
            try:
                while True:
                    progress(*updates.get_nowait())
            except queue_module.Empty:
                pass
            try:
                ok, value = results.get(timeout=0.05)
                break
            except queue_module.Empty:
                if not child.is_alive():
                    # The child may have exited a moment after its last put: the result can still be on its
                    # way through the pipe (seen under Wine), so it gets one last, longer look before
                    # the child is declared dead.
                    try:
                        ok, value = results.get(timeout=2)
                        break
                    except queue_module.Empty:
                        raise RuntimeError("导入进程意外退出") from None
            if cancelled():
                raise OperationCancelled()
    except OperationCancelled:
        child.terminate()
        raise
    finally:
        child.join(timeout=5)
    if ok:
        return value  # type: ignore[no-any-return]
    raise value


def _child_main(target: Callable[..., Any], args: tuple[Any, ...], updates: Any, results: Any) -> None:
    try:
        results.put((True, target(*args, updates)))
    except BaseException as exc:  # sent back to the window, which shows the sentence
        if isinstance(exc, sqlite3.Error):  # a full disk or a lock in the child: its sentence, not a RuntimeError
            exc = user_error(exc, Path(args[0]) if args and isinstance(args[0], str) else None) or exc
        results.put((False, exc if isinstance(exc, UserError) else RuntimeError(f"{type(exc).__name__}: {exc}")))
