"""The POSIX-lock hazard: a window whose process lost its locks keeps its WAL while an import child closes."""

from __future__ import annotations

import multiprocessing
import subprocess
import sys
from pathlib import Path

from registry.importing.remote import run_import
from registry.services.organizations import add_org
from registry.storage.database import Registry

ROOT = Path(__file__).resolve().parents[2]
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def id_number(serial: int) -> str:
    body = f"310120198{serial % 10}0{1 + serial % 9}1{serial % 10}{serial:03d}"[:17]
    check = "10X98765432"[sum(int(d) * w for d, w in zip(body, WEIGHTS, strict=True)) % 11]
    return body + check


def census_csv(path: Path, people: int) -> Path:
    lines = ["姓名,身份证号,政治面貌,网点名称,快递品牌"]
    lines += [f"测试{i:03d},{id_number(i)},中共党员,沙河网点,极兔速递" for i in range(people)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def fresh_process_reads(db: Path) -> str:
    code = ("import sys; from registry.storage.database import Registry\n"
            "with Registry(sys.argv[1]) as r:\n"
            "    print(r.scalar('PRAGMA integrity_check'), r.scalar('SELECT count(*) FROM people'),"
            " ','.join(x[0] for x in r.conn.execute('SELECT name FROM organizations ORDER BY name')))\n")
    p = subprocess.run([sys.executable, "-c", code, str(db)], capture_output=True, text=True, cwd=ROOT, timeout=60)
    assert p.returncode == 0, p.stderr
    return p.stdout.strip()


def test_window_keeps_its_wal_when_its_process_drops_the_locks(tmp_path: Path) -> None:
    db = tmp_path / "taizhang.db"
    window = Registry(db, operator="窗口", create=True)  # the window's long-lived connection
    try:
        add_org(window, name="甲党支部")
        assert window.scalar("SELECT count(*) FROM organizations") == 1
        # A file dialog in the window's process sniffs the data folder: every POSIX lock the process held on
        # the database file is gone once this descriptor closes.
        with open(db, "rb") as sniff:
            sniff.read(100)
        # An import in a child process, as the window starts it; the child closes its connection at the end.
        csv = census_csv(tmp_path / "摸排表.csv", 30)
        ctx = multiprocessing.get_context("spawn")
        with ctx.Pool(1) as pool:
            result = pool.apply(run_import, (str(db), "导入员", [str(csv)], {}))
        assert result.added == 30
        # The window reads the import and writes on.
        assert window.scalar("SELECT count(*) FROM people") == 30
        add_org(window, name="乙党支部")
        with open(db, "rb") as sniff:  # and the dialog sniffs once more
            sniff.read(100)
        # The command line writes too, while the window stays open.
        cli = subprocess.run([sys.executable, "-m", "registry", "--db", str(db), "org", "add", "--name", "丁党支部"],
                             capture_output=True, text=True, cwd=ROOT, timeout=60)
        assert cli.returncode == 0, cli.stderr
        assert window.scalar("SELECT count(*) FROM organizations") == 3
        add_org(window, name="丙党支部")
        assert window.scalar("PRAGMA integrity_check") == "ok"
        # Another process sees everything, the window's last writes included.
        assert fresh_process_reads(db) == "ok 30 丁党支部,丙党支部,乙党支部,甲党支部"
    finally:
        window.checkpoint("TRUNCATE")
        window.close()
    assert fresh_process_reads(db) == "ok 30 丁党支部,丙党支部,乙党支部,甲党支部"


def test_every_commit_reaches_the_database_file(tmp_path: Path) -> None:
    """The .db file is the data: after a change, the main file alone (without its WAL) already holds it."""
    db = tmp_path / "a.db"
    with Registry(db, create=True) as reg:
        add_org(reg, name="甲党支部")
        copy = tmp_path / "copy.db"
        copy.write_bytes(db.read_bytes())  # a plain copy of the .db alone, as a user would make one
        with Registry(copy) as seen:
            assert seen.scalar("SELECT name FROM organizations") == "甲党支部"
        assert reg.checkpoint("TRUNCATE")
    assert (tmp_path / "a.db-wal").stat().st_size == 0


def test_a_restore_and_a_daily_backup_from_the_command_line_keep_the_windows_wal(tmp_path: Path) -> None:
    """Restore and the daily backup open the live file on their own connections: those must not delete it either."""
    from datetime import datetime

    from registry.services.backups import make_backup

    db = tmp_path / "taizhang.db"
    window = Registry(db, operator="窗口", create=True)
    try:
        add_org(window, name="甲党支部")
        backup = make_backup(window.conn, db, "导入前", datetime(2026, 11, 30, 9, 0))
        add_org(window, name="乙党支部")
        with open(db, "rb") as sniff:  # the window's process loses its locks on the database file
            sniff.read(100)
        for argv in (["backups"], ["restore", str(backup.path), "--yes"]):
            cli = subprocess.run([sys.executable, "-m", "registry", "--db", str(db), *argv],
                                 capture_output=True, text=True, cwd=ROOT, timeout=60)
            assert cli.returncode == 0, cli.stderr
        assert window.scalar("SELECT group_concat(name) FROM organizations") == "甲党支部"  # the backup's data
        add_org(window, name="丙党支部")
        assert window.scalar("PRAGMA integrity_check") == "ok"
        assert fresh_process_reads(db) == "ok 0 丙党支部,甲党支部"
    finally:
        window.close()
    assert fresh_process_reads(db) == "ok 0 丙党支部,甲党支部"
