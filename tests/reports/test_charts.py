"""Charts draw every label in the embedded CJK font."""

from __future__ import annotations

from pathlib import Path

from reportlab.graphics import renderPDF
from reportlab.graphics.shapes import Drawing, Group, String
from reportlab.graphics.widgetbase import Widget

from registry.reports.charts import bar_chart
from registry.reports.fonts import FONT
from tests.reports.conftest import needs_poppler, pdf_fonts, pdf_text


def _strings(node: object) -> list[String]:
    """Every String the drawing renders, widgets (chart, axes, legend) expanded as a renderer expands them."""
    if isinstance(node, String):
        return [node]
    if isinstance(node, Group | Drawing):
        return [s for child in node.getContents() for s in _strings(child)]
    if isinstance(node, Widget):
        return _strings(node.draw())
    return []


def test_every_string_uses_the_cjk_font() -> None:
    drawing = bar_chart(["顺丰速运", "京东物流", "极兔速递"], [("在册党员", [12, 7, 3]), ("流动党员", [4, 2, 5])],
                        width=400, title="各快递品牌党员人数")
    strings = _strings(drawing)
    assert all(s.fontName == FONT for s in strings), {(s.text, s.fontName) for s in strings}
    assert {"顺丰速运", "在册党员", "各快递品牌党员人数", "0"} <= {s.text for s in strings}  # axis, legend, title
    assert {"16", "9", "8"} <= {s.text for s in strings}  # stack totals above the bars


@needs_poppler
def test_chart_pdf_has_only_embedded_fonts(tmp_path: Path) -> None:
    out = tmp_path / "chart.pdf"
    drawing = bar_chart([f"第{i}网点" for i in range(12)], [("党员", list(range(12)))], width=480, title="各网点党员")
    renderPDF.drawToFile(drawing, str(out), initialFontName=FONT)
    assert all(f["emb"] == "yes" for f in pdf_fonts(out))
    assert "各网点党员" in pdf_text(out)[0]


def test_empty_chart_says_so() -> None:
    assert "（暂无数据）" in [s.text for s in _strings(bar_chart([], [("党员", [])], width=300))]
