"""The import as a child process's entry point: the window's own interpreter stays free while it runs.

Reading a large workbook holds Python's interpreter lock for long stretches (the reader is native code),
which would freeze a window running the import on a thread. A separate process also makes 取消 real: the
child can be stopped at any moment, and SQLite rolls back the transaction it had open.
"""

from __future__ import annotations

from typing import Any

from registry.importing.service import ImportResult, import_files
from registry.storage.database import Registry


def run_import(db_path: str, operator: str, paths: list[str], options: dict[str, Any],
               progress_queue: Any = None) -> ImportResult:
    """import_files on a fresh connection; progress goes to progress_queue as (stage, done, total)."""

    def progress(stage: str, done: int, total: int) -> None:
        if progress_queue is not None:
            progress_queue.put((stage, done, total))

    with Registry(db_path, operator=operator) as reg:
        return import_files(reg, paths, progress=progress, **options)
