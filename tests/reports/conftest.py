"""Fixtures for the report tests: a small demo registry built once, and poppler's pdftotext / pdffonts."""

from __future__ import annotations

import re
import shutil
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from registry.demo import fill_demo
from registry.storage.database import Registry

TODAY = date(2026, 11, 24)  # the demo data is generated relative to this day
POPPLER = all(shutil.which(tool) for tool in ("pdftotext", "pdffonts"))
needs_poppler = pytest.mark.skipif(not POPPLER, reason="poppler-utils (pdftotext, pdffonts) not installed")
FULL_ID = re.compile(r"\d{17}[\dX]")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Registry]:
    """150 fictional people in the demo organisation tree, shared by the tests of one module."""
    registry = Registry(tmp_path_factory.mktemp("demo") / "demo.db", operator="测试员", create=True)
    fill_demo(registry, people=150, today=TODAY)
    yield registry
    registry.close()


def pdf_text(path: Path, layout: bool = True) -> list[str]:
    """The text of each page, as pdftotext extracts it."""
    args = ["pdftotext", *(["-layout"] if layout else []), str(path), "-"]
    text = subprocess.run(args, capture_output=True, text=True, check=True).stdout
    return text.split("\f")[:-1]


def pdf_fonts(path: Path) -> list[dict[str, str]]:
    """pdffonts' table: name, type and whether each font is embedded."""
    lines = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout.splitlines()
    fonts = []
    for line in lines[2:]:
        parts = line.split()
        # name type [type…] encoding emb sub uni object ID: emb is the fifth field from the end
        fonts.append({"name": parts[0], "emb": parts[-5], "line": line})
    return fonts


def assert_paged_and_embedded(path: Path) -> list[str]:
    """Every font embedded (and only ours), every page numbered 第 X 页 共 Y 页; returns the page texts."""
    fonts = pdf_fonts(path)
    assert fonts, "no fonts at all"
    assert all(f["emb"] == "yes" for f in fonts), [f["line"] for f in fonts]
    assert all("WenQuanYiMicroHei" in f["name"] for f in fonts), [f["name"] for f in fonts]
    pages = pdf_text(path)
    for number, page in enumerate(pages, 1):
        found = re.findall(r"第\s*(\d+)\s*页\s*共\s*(\d+)\s*页", page)
        assert found == [(str(number), str(len(pages)))], (number, found)
    return pages


def number_after(text: str, label: str) -> int:
    """The first number printed after a row label at the start of a line (pdftotext -layout)."""
    match = re.search(rf"^\s*{label}\s+(-?\d+)", text, re.MULTILINE)
    assert match, f"{label} not found"
    return int(match.group(1))
