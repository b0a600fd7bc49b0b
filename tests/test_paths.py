"""The data folder, its backups and the previews live in the user's own profile (%LOCALAPPDATA% on Windows)."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from registry import paths, scratch
from registry.services.backups import backup_dir


def _inside(child: Path, parent: Path) -> bool:
    # Windows paths compare without regard to case (C:\\Users vs C:\\users).
    norm = os.path.normcase
    return norm(str(child)).startswith(norm(str(parent)).rstrip("\\/") + os.sep)


@pytest.fixture
def default_place(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No DANGJIAN_DATA_DIR (the tests' private folder): the folder the program really uses; nothing is created."""
    monkeypatch.delenv("DANGJIAN_DATA_DIR")
    if os.name != "nt":
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "share"))


@pytest.mark.skipif(os.name != "nt", reason="%LOCALAPPDATA% is Windows' per-user, per-machine data folder")
def test_on_windows_the_data_folder_is_in_localappdata(default_place: None) -> None:
    local = Path(os.environ["LOCALAPPDATA"])
    assert os.path.normcase(str(paths.data_dir())) == os.path.normcase(str(local / "DangjianTaizhang"))
    # Not the roaming profile (copied at every log-on across an office network) and never beside the program.
    assert not _inside(paths.data_dir(), Path(os.environ["APPDATA"]))
    assert _inside(paths.data_dir(), Path.home())


def test_everything_the_program_keeps_for_itself_is_in_the_data_folder(default_place: None) -> None:
    folder = paths.data_dir()
    if os.name != "nt":
        assert folder == Path(os.environ["XDG_DATA_HOME"]) / "DangjianTaizhang"
    for kept in (paths.default_db_path(), backup_dir(paths.default_db_path()), scratch.journal_path(),
                 folder / "preview"):  # ui/dialogs/report_dialog.py builds its previews there
        assert _inside(kept, folder), kept
    assert not folder.exists() or os.name == "nt"  # asking where it is creates nothing


def test_an_override_is_used_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DANGJIAN_DATA_DIR", str(tmp_path / "U盘 台账"))
    assert paths.default_db_path() == tmp_path / "U盘 台账" / "taizhang.db"
