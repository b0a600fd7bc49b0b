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
