"""Kill test: a census import, whose automatic backup is made alongside its reading, planning and writing, killed
(SIGKILL) at random moments leaves the registry as it was or fully imported, and no half-made backup.

Each of 16 runs copies a registry of 1,200 people, imports 1,500 new people into it in a forked child and kills
the child after a seeded random delay spread over the whole import (as measured by an unkilled run); then the
sweep a next start runs. Afterwards the registry passes integrity_check with 1,200 people and no batch, or 2,700
and its batch; every backup listed passes quick_check and holds the 1,200; no temporary file is left.
POSIX only (fork and SIGKILL).
"""

from __future__ import annotations

import contextlib
import os
import random
import shutil
import signal
import sqlite3
import time
from datetime import date
from pathlib import Path

import pytest

from registry.demo import fill_demo
from registry.importing.service import import_files
from registry.services.backups import backup_dir, list_backups, sweep_temporaries
from registry.storage.database import Registry

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

KILLS = 16
PEOPLE = 1200
NEW = 1500
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def _number(n: int) -> str:
    body = f"510104{1960 + n % 40}{1 + n % 12:02d}{1 + n % 28:02d}{n % 1000:03d}"
    return body + "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]


@pytest.fixture(scope="module")
def start(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    folder = tmp_path_factory.mktemp("kill_import")
    db = folder / "demo.db"
    with Registry(db, operator="kill", create=True) as reg:
        fill_demo(reg, people=PEOPLE, today=date(2026, 11, 30))
        assert reg.scalar("SELECT count(*) FROM people") == PEOPLE
    census = folder / "摸排表.csv"
    numbers = sorted({_number(n) for n in range(NEW * 2)})[:NEW]
    census.write_text("姓名,公民身份号码,手机号码,人员类别\n" + "".join(
        f"新{'甲乙丙丁戊己庚辛壬癸'[n % 10]}{'子丑寅卯辰巳午未申酉戌亥'[n // 10 % 12]},{num},139{n:08d},群众\n"
        for n, num in enumerate(numbers)), encoding="utf-8")
    return db, census


def _child(db: Path, census: Path, report: int) -> int:
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            reg = Registry(db, operator="kill")
            os.write(report, f"{time.perf_counter()}\n".encode())
            import_files(reg, [census])
            reg.close()
            os.write(report, f"{time.perf_counter()}\n".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(report)
    return pid


def _fresh(start: tuple[Path, Path], work: Path) -> Path:
    if work.exists():
        shutil.rmtree(work)
    work.mkdir()
    shutil.copy(start[0], work / "demo.db")
    return work / "demo.db"


def test_a_killed_import_leaves_the_registry_before_or_after_and_no_half_made_backup(
        start: tuple[Path, Path], tmp_path: Path) -> None:
    db = _fresh(start, tmp_path / "measure")
    read, write = os.pipe()
    pid = _child(db, start[1], write)
    with os.fdopen(read) as fh:
        began, ended = (float(line) for line in fh.read().split())
    assert os.waitstatus_to_exitcode(os.waitpid(pid, 0)[1]) == 0
    took = ended - began
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM people") == PEOPLE + NEW

    rng = random.Random("kill-import")
    outcomes = {"before": 0, "after": 0}
    for n in range(KILLS):
        db = _fresh(start, tmp_path / "run")
        read, write = os.pipe()
        pid = _child(db, start[1], write)
        with os.fdopen(read, "rb", buffering=0) as fh:
            fh.readline()
            time.sleep(rng.uniform(0, took * 1.1))
            with contextlib.suppress(ProcessLookupError):  # it may have finished already
                os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
        sweep_temporaries(backup_dir(db))  # as the next start does
        left = [p.name for p in backup_dir(db).iterdir()] if backup_dir(db).is_dir() else []
        assert all(p.endswith(".db") and "导入前" in p for p in left), f"kill {n}: leftovers {left}"
        with sqlite3.connect(db) as conn:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"kill {n}: registry damaged"
            people = conn.execute("SELECT count(*) FROM people").fetchone()[0]
            batches = conn.execute("SELECT count(*) FROM import_batches").fetchone()[0]
        assert (people, batches) in ((PEOPLE, 0), (PEOPLE + NEW, 1)), f"kill {n}: {people} people, {batches} batches"
        outcomes["before" if people == PEOPLE else "after"] += 1
        for info in list_backups(db):
            with sqlite3.connect(info.path) as conn:
                assert conn.execute("PRAGMA quick_check").fetchone()[0] == "ok", f"kill {n}: {info.path.name}"
                assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == PEOPLE
        assert people == PEOPLE or list_backups(db), f"kill {n}: imported without its backup"
    assert outcomes["before"] >= KILLS // 4, outcomes
