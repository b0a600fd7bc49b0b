"""ChoiceCombo: tuples are found (QComboBox.findData cannot), and a stored value missing from the list is shown."""

from __future__ import annotations

from ui.dialogs.form_parts import ChoiceCombo


def test_choice_combo_finds_tuples_and_keeps_a_value_it_does_not_list(qtbot) -> None:
    combo = ChoiceCombo()
    qtbot.addWidget(combo)
    combo.add_choice("（未指定）", None)
    combo.add_choice("沙河网点（极兔速递）", ("沙河网点", "极兔速递"))
    combo.add_choice("沙河网点（中通快递）", ("沙河网点", "中通快递"))
    assert combo.findData(("沙河网点", "中通快递")) == -1  # why the person dialog used to lose the outlet
    combo.set_value(("沙河网点", "中通快递"))
    assert combo.currentIndex() == 2 and combo.value() == ("沙河网点", "中通快递")
    combo.set_value(("旧网点", None), "旧网点（未注明品牌）")
    assert combo.count() == 4 and combo.currentText() == "旧网点（未注明品牌）" and combo.value() == ("旧网点", None)
    combo.set_value(None)
    assert combo.currentIndex() == 0 and combo.value() is None


def test_plain_values_are_item_data_too(qtbot) -> None:
    combo = ChoiceCombo()
    qtbot.addWidget(combo)
    combo.add_choice("城南快递联合党支部", "城南快递联合党支部")
    assert combo.findData("城南快递联合党支部") == 0 and combo.currentData() == "城南快递联合党支部"
