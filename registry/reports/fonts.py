"""The bundled CJK TrueType font, registered once for every PDF so that all text is embedded."""

from __future__ import annotations

import threading

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from registry.errors import UserError
from registry.paths import font_path

FONT = "WQY"  # WenQuanYi Micro Hei, the only font any report uses (titles, cells, charts, page numbers)
# Weight the single face lacks is drawn as fill-then-stroke text with a hairline this fraction of the size.
BOLD_STROKE = 0.035

_lock = threading.Lock()


def register_fonts() -> str:
    """Register the font with reportlab (idempotent, thread-safe); returns its name."""
    with _lock:
        if FONT not in pdfmetrics.getRegisteredFontNames():
            path = font_path()
            try:
                pdfmetrics.registerFont(TTFont(FONT, str(path), subfontIndex=0))
            except OSError as exc:
                raise UserError(f"找不到报表所用的字体文件“{path.name}”，请重新安装本程序。") from exc
    return FONT


def text_width(text: str, size: float) -> float:
    return pdfmetrics.stringWidth(text, FONT, size)
