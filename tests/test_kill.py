"""Kill test: backups, exports (roster .xlsx/.csv, report figures, problem list) and PDFs killed (SIGKILL) at
random moments leave nothing half-written.

Each kind runs 20 times in a forked child that is killed after a seeded random delay spread over the
whole write (from just before the temporary file is created to just after the end, as measured by an
unkilled run); then the start-up sweep runs. Afterwards no temporary
file is left, the database passes integrity_check with the same people, and each target is either
absent or complete. The writers are imported here, before the fork, so that a child starts writing at
once. POSIX only (fork and SIGKILL); about 10 s on two cores.
"""

from __future__ import annotations

import os
import random
import re
import signal
import sqlite3
import time
import zipfile
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from registry import scratch
from registry.demo import fill_demo
from registry.exporting.roster import export_roster
from registry.importing.batches import export_problems
from registry.importing.service import import_files
from registry.reports.figures_xlsx import export_monthly_figures
from registry.reports.monthly import monthly_figures, write_monthly_report
from registry.reports.roster import write_roster_report
from registry.rules.periods import parse_month
from registry.services.backup import backup_to
from registry.services.search import PeopleFilter
from registry.storage.database import Registry

pytestmark = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs fork and SIGKILL")

KILLS = 20
PEOPLE = 1200


def _backup(reg: Registry, out: Path) -> None:
    backup_to(reg, out)


def _roster(reg: Registry, out: Path) -> None:
    export_roster(reg, out)


def _figures(reg: Registry, out: Path) -> None:
    export_monthly_figures(reg, monthly_figures(reg, date(2026, 11, 1), date(2026, 11, 30)), out)


def _problems(reg: Registry, out: Path) -> None:
    export_problems(reg, 1, out)


def _roster_pdf(reg: Registry, out: Path) -> None:
    write_roster_report(reg, out, PeopleFilter(categories=["正式党员"]))


def _monthly_pdf(reg: Registry, out: Path) -> None:
    write_monthly_report(reg, out, parse_month("2026-11"))


Job = Callable[[Registry, Path], None]
KINDS: dict[str, list[tuple[Job, str]]] = {
    "backup": [(_backup, ".db")],
    "export": [(_roster, ".xlsx"), (_roster, ".csv"), (_figures, ".xlsx"), (_problems, ".xlsx")],
    "pdf": [(_roster_pdf, ".pdf"), (_monthly_pdf, ".pdf")],
}


def _child(db: Path, job: Job, out: Path, report: int) -> int:
    """Fork a child that opens the database and runs the job; returns its pid.

    The child writes a line to the pipe `report` just before its temporary file is created and when done.
    """
    pid = os.fork()
    if pid == 0:  # pragma: no cover - runs in the child
        code = 1
        try:
            create = scratch.create_temp

            announced_once: list[bool] = []

            def announced(tmp: Path) -> None:
                if not announced_once:  # a backup creates its temporary twice (publish, then the checked copy)
                    announced_once.append(True)
                    os.write(report, f"{time.perf_counter()}\n".encode())
                create(tmp)

            scratch.create_temp = announced  # type: ignore[assignment]
            reg = Registry(db, operator="kill", create=True)
            job(reg, out)
            reg.close()
            os.write(report, f"{time.perf_counter()}\n".encode())
            code = 0
        finally:
            os._exit(code)
    os.close(report)
    return pid


def _measure(db: Path, job: Job, out: Path) -> float:
    """An unkilled run: seconds from the creation of the temporary file to the end."""
    read, write = os.pipe()
    pid = _child(db, job, out, write)
    with os.fdopen(read) as fh:
        created, done = (float(line) for line in fh.read().split())
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0
    return done - created


def _run(db: Path, job: Job, out: Path, delay: float) -> bool:
    """Run the job in a child, killed `delay` seconds after it starts its temporary file; True if killed."""
    read, write = os.pipe()
    pid = _child(db, job, out, write)
    with os.fdopen(read, "rb", buffering=0) as fh:
        fh.readline()  # the child is about to create its temporary file (timing is relative to that, not
        time.sleep(delay)  # to the fork, so that a slow start on a busy machine does not skew the spread)
        killed = True
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            killed = False
        _, status = os.waitpid(pid, 0)
    return killed and os.waitstatus_to_exitcode(status) == -signal.SIGKILL


def _complete(out: Path, reference: Path) -> bool:
    """Whether `out` is a whole file of its kind (same content as the reference where that is stable)."""
    if out.suffix == ".db":
        conn = sqlite3.connect(out)
        try:
            return (conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
                    and conn.execute("SELECT count(*) FROM people").fetchone()[0] == PEOPLE)
        finally:
            conn.close()
    if out.suffix == ".xlsx":
        with zipfile.ZipFile(out) as zf, zipfile.ZipFile(reference) as ref:
            return zf.testzip() is None and sorted(zf.namelist()) == sorted(ref.namelist())
    if out.suffix == ".csv":
        return out.read_bytes() == reference.read_bytes()
    data = out.read_bytes()
    return data.startswith(b"%PDF") and data.rstrip().endswith(b"%%EOF") and abs(len(data) - reference.stat().st_size) < 64


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("kill") / "demo.db"
    reg = Registry(db, operator="kill", create=True)
    fill_demo(reg, people=PEOPLE - 1, today=date(2026, 11, 30))
    census = db.with_name("摸排表.csv")  # import batch 1, with rejected rows for the problem list
    census.write_text("姓名,公民身份号码,手机号码\n张三,510104198503154210,13800138000\n李四,123,13700137000\n"
                      "王五,420106199207080065,13600136000\n", encoding="utf-8")
    result = import_files(reg, [census])
    assert reg.scalar("SELECT count(*) FROM people") == PEOPLE and result.rejected == 2
    reg.close()
    return db


@pytest.mark.parametrize("kind", list(KINDS))
def test_killed_writes_leave_nothing_half_written(kind: str, demo_db: Path, tmp_path: Path) -> None:
    rng = random.Random(f"kill-{kind}")
    folder = tmp_path / "out"
    folder.mkdir()
    references, timings = [], []
    for i, (job, suffix) in enumerate(KINDS[kind]):
        ref = tmp_path / f"reference{i}{suffix}"
        timings.append(_measure(demo_db, job, ref))
        references.append(ref)

    killed = swept = 0
    for n in range(KILLS):
        i = n % len(KINDS[kind])
        job, suffix = KINDS[kind][i]
        out = folder / f"目标{n}{suffix}"
        killed += _run(demo_db, job, out, rng.uniform(0, timings[i] * 1.1))
        swept += bool(scratch.sweep_leftovers())
        left = [p.name for p in folder.iterdir() if not re.fullmatch(r"目标\d+\.\w+", p.name)]
        assert not left, f"kill {n}: temporary files survived the sweep: {left}"
        assert not out.exists() or _complete(out, references[i]), f"kill {n}: {out.name} is half-written"
        conn = sqlite3.connect(demo_db)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok", f"kill {n}: database damaged"
            assert conn.execute("SELECT count(*) FROM people").fetchone()[0] == PEOPLE
        finally:
            conn.close()

    assert killed >= KILLS // 2, "most kills should land while the child is still running"
    assert swept >= KILLS // 4, f"only {swept} kills landed while a temporary file existed"
