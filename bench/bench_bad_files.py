"""Benchmark: the big files of the bad-file corpus, each imported through the command line in a child process.

Usage: python bench/bench_bad_files.py [--only NAME]
Target (issue 9 §5): each exits 2 with one sentence (or, for junk below real people, imports them with a
warning), in under 30 s, with peak memory under 1 GB, and the database unchanged. Peak memory is the child's
ru_maxrss as the child itself reports it; the files are built by another child first, because Linux carries a
parent's peak RSS into a forked child.

Measured 2026-12-01 (2 shared cores, Python 3.11): every refusal below 0.3 s and 42 MB; 988,074 and 1,048,575
junk rows 7.5 s / 522–552 MB (exit 2); 2 people over 1,000,000 junk rows 7.5 s / 529 MB (imported, warned);
a 1 MB name cell 0.6 s / 49 MB (row rejected); 390,000 × 25 cells, the grid limit, 8.0 s / 703 MB (exit 2).
Before issue 9: 988,074 junk rows took 53 s and 4.5 GB; 1,000,000 × 702 corner cells 54 s and 21 GB.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.importing import bad_files  # noqa: E402

CHILD = """
import resource, sys
sys.path.insert(0, sys.argv[1])
from registry.cli.main import main
code = main(["--db", sys.argv[2], "import", sys.argv[3]])
sys.stderr.write(f"\\nRSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}\\n")
sys.exit(code)
"""


def build(folder: Path) -> None:
    bad_files.many_big_sheets(folder / "sheets20.xlsx")
    bad_files.corner_bomb(folder / "corner.xlsx")
    bad_files.corner_bomb(folder / "corner2.xlsx", 1_048_576, "XFD")
    bad_files.giant_cell(folder / "giant.xlsx", 10_000_000, repeated=True)
    bad_files.giant_cell(folder / "giant2.xlsx", 1_000_000, repeated=False)
    bad_files.lazy_junk_census(folder / "junk988k.xlsx", 988_074)
    bad_files.lazy_junk_census(folder / "junk1m.xlsx", 1_048_575)
    bad_files.junk_census(folder / "people_junk.xlsx", 1_000_000)
    bad_files.shared_string_grid(folder / "grid.xlsx", 390_000, 25)


def _paths(folder: Path) -> dict[str, Path]:
    names = ["sheets20", "corner", "corner2", "giant", "giant2", "junk988k", "junk1m", "people_junk", "grid"]
    return dict(zip(LABELS, (folder / f"{n}.xlsx" for n in names), strict=True))


LABELS = ["20 sheets × 49 MB XML (3 MB file)", "corner cells A1 + ZZ1000000", "corner cells A1 + XFD1048576",
          "10 MB name cell (repeated)", "1 MB name cell (random)", "988,074 junk rows under a header",
          "1,048,575 junk rows under a header", "2 people then 1,000,000 junk rows",
          "390,000 × 25 shared-string cells (grid limit)"]


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--only", help="run only the files whose description contains this")
    ap.add_argument("--build", type=Path, help=argparse.SUPPRESS)  # the builder child's folder
    args = ap.parse_args()
    if args.build:
        build(args.build)
        return 0
    folder = Path(tempfile.mkdtemp(prefix="bad_files_"))
    db = folder / "台账.db"
    subprocess.run([sys.executable, "-m", "registry", "--db", str(db), "init"], check=True, cwd=ROOT,
                   capture_output=True)
    t = time.perf_counter()
    # Built in a child: Linux carries a parent's peak RSS into a forked child, which would spoil the figures.
    subprocess.run([sys.executable, __file__, "--build", str(folder)], check=True)
    files = _paths(folder)
    print(f"built {len(files)} files in {time.perf_counter() - t:.1f} s under {folder}")
    for label, path in files.items():
        if args.only and args.only not in label:
            continue
        size = db.stat().st_size
        t = time.perf_counter()
        out = subprocess.run([sys.executable, "-c", CHILD, str(ROOT), str(db), str(path)], capture_output=True,
                             text=True, cwd=ROOT)
        elapsed = time.perf_counter() - t
        rss = int(out.stderr.rsplit("RSS ", 1)[1]) // 1024 if "RSS " in out.stderr else -1
        message = out.stderr.rsplit("\nRSS ", 1)[0].strip().splitlines()
        said = message[-1] if message else out.stdout.strip().splitlines()[-1]
        print(f"{label:38s} {path.stat().st_size / 1024:9.0f} KB  exit {out.returncode}  {elapsed:5.1f} s  "
              f"peak {rss:5d} MB  db +{(db.stat().st_size - size) // 1024} KB\n    {said[:160]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
