"""Printing results: JSON for programs, aligned text tables for people, in an encoding that takes Chinese."""

from __future__ import annotations

import codecs
import contextlib
import io
import json
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any

# Encodings that take every character: kept. GBK (a Chinese Windows' code page) becomes its superset GB18030,
# so that a rare character in a name is written too and every GBK reader still reads the rest.
_WHOLE = {"utf-8", "utf-16", "utf-32", "gb18030"}
_GBK = {"gbk", "gb2312", "cp936"}


def redirected_encoding(current: str) -> str:
    """The encoding for output going to a file or pipe: the code page if it takes Chinese, else UTF-8."""
    try:
        name = codecs.lookup(current).name
    except LookupError:
        return "utf-8"
    if name in _WHOLE:
        return name
    return "gb18030" if name in _GBK else "utf-8"


def set_up_streams() -> None:
    """Make the program's own stdout and stderr able to write any Chinese text, whatever the code page.

    Redirected to a file or a pipe, Python writes in the code page, and on an English Windows (cp1252)
    every Chinese character raised UnicodeEncodeError 'charmap': such output is written as UTF-8, which
    Notepad, WPS and scripts read; a Chinese code page is kept (cmd's type and PowerShell read it).
    A console keeps its encoding (Windows' console takes Unicode whatever the code page), but a character
    it cannot show becomes "?" rather than a crash. Streams someone else put in place (pytest's capture,
    a program embedding this one) are left alone.
    """
    for stream, original in ((sys.stdout, sys.__stdout__), (sys.stderr, sys.__stderr__)):
        if stream is None or stream is not original or not isinstance(stream, io.TextIOWrapper):
            continue
        with contextlib.suppress(OSError, ValueError):  # a closed or odd stream: keep it as it is
            if stream.isatty():
                stream.reconfigure(errors="replace")
            else:
                stream.reconfigure(encoding=redirected_encoding(stream.encoding), errors="replace")


def print_json(data: Any) -> None:
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str))
    sys.stdout.write("\n")


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def print_table(rows: Sequence[Sequence[Any]], headers: Sequence[str]) -> None:
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [_width(h) for h in headers]
    for row in cells:
        for i, v in enumerate(row):
            widths[i] = max(widths[i], _width(v))

    def line(values: Sequence[str]) -> str:
        return "  ".join(v + " " * (widths[i] - _width(v)) for i, v in enumerate(values)).rstrip()

    print(line(list(headers)))
    print("  ".join("-" * w for w in widths))
    for row in cells:
        print(line(row))
