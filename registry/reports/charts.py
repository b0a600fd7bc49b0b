"""Bar charts for the reports, drawn with reportlab.graphics and labelled in the embedded CJK font."""

from __future__ import annotations

from collections.abc import Sequence

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.shapes import Drawing, String
from reportlab.lib import colors

from registry.reports.fonts import FONT, register_fonts, text_width

SERIES_COLOURS = (colors.HexColor("#B3261E"), colors.HexColor("#E8A33D"), colors.HexColor("#5B7DB1"))
AXIS_COLOUR = colors.HexColor("#444444")
MAX_BARS = 16


def _nice_step(top: float) -> int:
    """A round value-axis step giving about five gridlines."""
    raw = max(top, 1) / 5
    magnitude = 10 ** max(0, len(str(int(raw))) - 1)
    for factor in (1, 2, 5, 10):
        if raw <= factor * magnitude:
            return max(1, factor * magnitude)
    return 10 * magnitude


def bar_chart(labels: Sequence[str], series: Sequence[tuple[str, Sequence[float]]], *, width: float,
              height: float = 210, title: str = "") -> Drawing:
    """Stacked vertical bars, one per label, with each stack's total above it and a legend under the title.

    Every string (title, axes, legend, totals) uses the registered TrueType font, so nothing in the chart
    falls back to a non-embedded standard font.
    """
    register_fonts()
    labels = list(labels)[:MAX_BARS]
    data = [list(values)[:MAX_BARS] for _, values in series]
    drawing = Drawing(width, height, initialFontName=FONT, initialFontSize=9)
    if title:
        drawing.add(String(width / 2, height - 12, title, fontName=FONT, fontSize=10.5, textAnchor="middle"))
    if not labels:
        drawing.add(String(width / 2, height / 2, "（暂无数据）", fontName=FONT, fontSize=9, textAnchor="middle"))
        return drawing
    totals = [sum(values[i] for values in data) for i in range(len(labels))]
    longest = max(text_width(label, 8) for label in labels)
    slot = (width - 60) / len(labels)
    angle = 0 if longest <= slot - 4 else 30
    bottom = 22 if angle == 0 else 16 + longest * 0.55

    chart = VerticalBarChart()
    chart.x, chart.y = 40, bottom
    chart.width, chart.height = width - 60, height - bottom - 48
    chart.data = data
    chart.categoryAxis.categoryNames = labels
    chart.categoryAxis.style = "stacked"
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 8
    chart.categoryAxis.labels.angle = angle
    chart.categoryAxis.labels.boxAnchor = "ne" if angle else "n"
    chart.categoryAxis.labels.dy = -3
    chart.categoryAxis.strokeColor = AXIS_COLOUR
    top = max(totals) or 1
    step = _nice_step(top)
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = (int(top * 1.15) // step + 1) * step
    chart.valueAxis.valueStep = step
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 8
    chart.valueAxis.labelTextFormat = "%d"
    chart.valueAxis.strokeColor = AXIS_COLOUR
    chart.valueAxis.visibleGrid = True
    chart.valueAxis.gridStrokeColor = colors.HexColor("#DDDDDD")
    chart.valueAxis.gridStrokeWidth = 0.4
    chart.barWidth = 10
    chart.groupSpacing = 8
    chart.barLabels.fontName = FONT
    for i in range(len(data)):
        chart.bars[i].fillColor = SERIES_COLOURS[i % len(SERIES_COLOURS)]
        chart.bars[i].strokeColor = None
    drawing.add(chart)

    scale = chart.height / chart.valueAxis.valueMax
    for i, total in enumerate(totals):
        x = chart.x + slot * (i + 0.5)
        drawing.add(String(x, chart.y + total * scale + 3, f"{total:g}", fontName=FONT, fontSize=8,
                           textAnchor="middle"))
    if len(series) > 1:
        legend = Legend()
        legend.fontName = FONT
        legend.fontSize = 8.5
        legend.alignment = "right"
        legend.columnMaximum = 1
        legend.deltax = 70
        legend.dxTextSpace = 4
        legend.boxAnchor = "n"
        legend.x = width / 2 - 35 * (len(series) - 1)
        legend.y = height - 20
        legend.colorNamePairs = [(SERIES_COLOURS[i % len(SERIES_COLOURS)], name)
                                 for i, (name, _) in enumerate(series)]
        drawing.add(legend)
    return drawing
