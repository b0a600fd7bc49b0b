"""Windows: writing over a file another program holds open (Excel, WPS) is one sentence, and leaves nothing behind."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.demo import fill_demo
from registry.errors import UserError
from registry.exporting.roster import export_roster
from registry.rules.periods import month_period
from registry.services.backup import backup_to
from registry.services.history import history
from registry.services.submissions import write_report
from registry.storage.database import Registry

pytestmark = pytest.mark.skipif(
    os.name != "nt", reason="only Windows refuses to replace a file held open; POSIX replaces it under the reader")

GENERIC_READ = 0x80000000
FILE_SHARE_READ = 0x1
OPEN_EXISTING = 3
EXCEL_SAYS = "请先在 Excel/WPS 中关闭该文件，再导出"


@contextmanager
def held_like_excel(path: Path) -> Iterator[None]:
    """Open the file as Excel does: others may read it, nobody may write, rename over or delete it."""
    import _winapi  # type: ignore[import-not-found,unused-ignore]

    handle = _winapi.CreateFile(str(path), GENERIC_READ, FILE_SHARE_READ, 0, OPEN_EXISTING, 0, 0)
    try:
        yield
    finally:
        _winapi.CloseHandle(handle)


@pytest.fixture
def demo(tmp_path: Path) -> Iterator[Registry]:
    with Registry(tmp_path / "demo.db", operator="测试员", create=True) as reg:
        fill_demo(reg, people=30, seed=5)
        yield reg


def leftovers(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith("~$")]


# A backup file is not opened in Excel: the sentence names no program.
SAYS = {"backup.db": "请先关闭使用它的程序，再保存"}
WRITERS: dict[str, tuple[str, Callable[[Registry, Path], object]]] = {
    "roster.xlsx": ("花名册.xlsx", lambda reg, out: export_roster(reg, out)),
    "roster.csv": ("花名册.csv", lambda reg, out: export_roster(reg, out)),
    "monthly.pdf": ("月报.pdf", lambda reg, out: write_report(reg, out, month_period(date.today()))),
    "backup.db": ("台账备份.db", lambda reg, out: backup_to(reg, out, force=True)),
}


@pytest.mark.parametrize("case", list(WRITERS))
def test_a_target_open_in_excel_is_one_sentence_and_nothing_changes(demo: Registry, tmp_path: Path,
                                                                   case: str) -> None:
    name, write = WRITERS[case]
    folder = tmp_path / "导出 文件"
    folder.mkdir()
    out = folder / name
    out.write_bytes(b"the copy the secretary has open")
    before = len(history(demo, entity="exports"))
    with held_like_excel(out), pytest.raises(UserError) as caught:
        write(demo, out)
    assert SAYS.get(case, EXCEL_SAYS) in caught.value.message and out.name in caught.value.message
    assert "WinError" not in caught.value.message and "\n" not in caught.value.message
    assert out.read_bytes() == b"the copy the secretary has open"
    assert leftovers(folder) == []  # the temporary file of personal data is gone too
    assert len(history(demo, entity="exports")) == before  # no audit row for a file that was not written
    write(demo, out)  # closed in Excel: the same export now goes through
    assert out.read_bytes() != b"the copy the secretary has open" and leftovers(folder) == []


def test_the_cli_says_close_it_in_excel(demo: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "花名册.xlsx"
    out.write_bytes(b"open")
    path = demo.path
    demo.close()
    with held_like_excel(out):
        code = main(["--db", str(path), "export", "roster", str(out)])
    err = capsys.readouterr().err
    assert code == 2 and EXCEL_SAYS in err and "Traceback" not in err and err.count("\n") == 1
    assert leftovers(tmp_path) == []


def test_a_leftover_held_open_is_swept_at_a_later_start(tmp_path: Path) -> None:
    import subprocess
    import sys

    from registry import scratch

    done = subprocess.Popen([sys.executable, "-c", "pass"])
    done.wait()
    folder = tmp_path / "导出"
    folder.mkdir()
    scratch.record_folder(folder)
    held, free = (folder / f"{scratch.PREFIX}{done.pid}-{digits}{scratch.SUFFIX}"
                  for digits in ("0123456789ab", "ba9876543210"))
    for path in (held, free):
        path.write_text("张三,510104198503154210\n", encoding="utf-8")
    with held_like_excel(held):  # an antivirus scan or a viewer has the killed export's file open
        assert scratch.sweep_leftovers() == [free]  # no exception: a start must not fail over it
    assert held.exists() and str(folder.resolve()) in scratch.journal_path().read_text(encoding="utf-8")
    assert scratch.sweep_leftovers() == [held] and not held.exists()
    assert not scratch.journal_path().exists() and leftovers(scratch.journal_path().parent) == []


def test_a_journal_held_open_is_left_as_it_was(tmp_path: Path) -> None:
    from registry import scratch

    folder = tmp_path / "导出"
    folder.mkdir()
    scratch.record_folder(folder)
    folder.rmdir()  # unreachable: the sweep wants to rewrite the journal with it kept
    journal = scratch.journal_path()
    (tmp_path / "other").mkdir()
    scratch.record_folder(tmp_path / "other")  # reachable and empty: the sweep wants to prune it
    before = journal.read_bytes()
    with held_like_excel(journal):
        assert scratch.sweep_leftovers() == []
    assert journal.read_bytes() == before
    assert [p.name for p in journal.parent.iterdir() if p.name != journal.name] == []  # no .new file left
