"""Imports in a child process: results and Chinese errors come back; cancelling stops the child."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from registry.errors import UserError
from registry.importing.remote import run_import
from registry.storage.database import Registry
from ui.worker import OperationCancelled, in_process


def _census(path: Path) -> Path:
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "身份证号", "政治面貌"])
    wb.active.append(["张三", "510104198503154210", "中共党员"])
    wb.save(path)
    return path


def test_result_and_progress(reg: Registry, tmp_path: Path) -> None:
    seen: list[tuple[str, int, int]] = []
    result = in_process(lambda *a: seen.append(a), lambda: False, run_import, str(reg.path), "测试员",
                        [str(_census(tmp_path / "c.xlsx"))], {})
    assert result.added == 1 and reg.scalar("SELECT count(*) FROM people") == 1


def test_user_error_comes_back(reg: Registry, tmp_path: Path) -> None:
    bad = tmp_path / "bad.xlsx"
    bad.write_bytes(b"")
    with pytest.raises(UserError, match="bad.xlsx"):
        in_process(lambda *a: None, lambda: False, run_import, str(reg.path), "测试员", [str(bad)], {})


def test_cancel_stops_and_changes_nothing(reg: Registry, tmp_path: Path) -> None:
    with pytest.raises(OperationCancelled):
        in_process(lambda *a: None, lambda: True, run_import, str(reg.path), "测试员",
                   [str(_census(tmp_path / "c.xlsx"))], {})
    assert reg.scalar("SELECT count(*) FROM people") == 0


class _LateQueue:
    """A result that reaches the pipe only after the child has exited: short looks miss it, empty() says so."""

    def __init__(self, item: object = None) -> None:
        self.item = item

    def get_nowait(self) -> object:
        import queue

        raise queue.Empty

    def get(self, timeout: float = 0) -> object:
        import queue

        if self.item is None or timeout < 1:
            raise queue.Empty
        return self.item

    def empty(self) -> bool:
        return True


class _ExitedChild:
    def __init__(self, **_kwargs: object) -> None:
        pass

    def start(self) -> None:
        pass

    def is_alive(self) -> bool:
        return False

    def join(self, timeout: float | None = None) -> None:
        pass

    def terminate(self) -> None:
        pass


def test_result_that_arrives_after_the_child_exited_is_not_lost(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    queues = iter([_LateQueue(), _LateQueue((True, "结果"))])

    class Context:
        def Queue(self) -> _LateQueue:
            return next(queues)

        Process = _ExitedChild

    monkeypatch.setattr(multiprocessing, "get_context", lambda _kind: Context())
    assert in_process(lambda *a: None, lambda: False, print) == "结果"


def test_child_that_dies_without_a_result_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    import multiprocessing

    queues = iter([_LateQueue(), _LateQueue()])

    class Context:
        def Queue(self) -> _LateQueue:
            return next(queues)

        Process = _ExitedChild

    monkeypatch.setattr(multiprocessing, "get_context", lambda _kind: Context())
    with pytest.raises(RuntimeError, match="意外退出"):
        in_process(lambda *a: None, lambda: False, print)
