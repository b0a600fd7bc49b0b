"""The import preview's problem list: errors first, and 全部 / 只看错误 / 只看提醒 with their counts."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import Qt

from ui.pages.import_parts import ProblemFilter, ProblemModel


def problems() -> list[dict[str, Any]]:
    """850 date reminders with the one wrong ID number near the end, as a big census sheet gives them."""
    found = [{"file": "摸排表.xlsx", "sheet": "网点", "row": r, "name": f"人员{r}", "column": "入党日期",
              "level": "warning", "message": "入党日期只有年月，已按当月1日记录"} for r in range(4, 854)]
    found.insert(800, {"file": "摸排表.xlsx", "sheet": "网点", "row": 804, "name": "王五", "column": "身份证号",
                       "level": "error", "message": "身份证号校验位不对"})
    return found


def test_errors_first_and_one_click_to_only_the_errors(qtbot: Any) -> None:
    model = ProblemModel()
    bar = ProblemFilter(model)
    qtbot.addWidget(bar)
    model.set_problems(problems(), show_file=False)
    bar.refresh()
    assert bar.tally.text() == "错误 1 · 提醒 850"
    assert [b.text() for b in bar.buttons.values()] == ["全部（851）", "只看错误（1）", "只看提醒（850）"]
    assert model.rowCount() == 851
    assert model.index(0, 2).data() == "王五"  # errors first
    assert [model.index(r, 1).data() for r in (1, 2)] == ["4", "5"]  # then the reminders in row order

    qtbot.mouseClick(bar.buttons["error"], Qt.MouseButton.LeftButton)
    assert model.rowCount() == 1 and model.index(0, 4).data() == "错误"
    qtbot.mouseClick(bar.buttons["warning"], Qt.MouseButton.LeftButton)
    assert model.rowCount() == 850 and {model.index(r, 4).data() for r in range(850)} == {"提醒"}
    qtbot.mouseClick(bar.buttons[None], Qt.MouseButton.LeftButton)
    assert model.rowCount() == 851


def test_a_new_preview_shows_everything_again(qtbot: Any) -> None:
    model = ProblemModel()
    bar = ProblemFilter(model)
    qtbot.addWidget(bar)
    model.set_problems(problems(), show_file=False)
    bar.refresh()
    bar.buttons["error"].click()
    only_reminders = [p for p in problems() if p["level"] == "warning"][:3]
    model.set_problems(only_reminders, show_file=True)
    bar.refresh()
    assert model.rowCount() == 3 and bar.buttons[None].isChecked()
    assert not bar.buttons["error"].isEnabled()  # nothing to show there
    assert model.index(0, 0).data() == "摸排表.xlsx / 网点"
    model.set_problems([], show_file=False)
    bar.refresh()
    assert bar.isHidden()
