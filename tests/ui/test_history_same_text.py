"""The CLI `history` and the window's history page describe every audit row in exactly the same words."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from registry.cli.main import main
from registry.importing.batches import undo_batch
from registry.importing.service import import_files
from registry.services.flowing import transfer_in, transfer_out
from registry.services.history import set_setting
from registry.services.organizations import add_org
from registry.services.people import add_person, edit_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from ui.pages.history_page import HistoryPage

ID_OTHER = "11010519491231002X"
EIGHTEEN_DIGITS = re.compile(r"\d{17}[\dXx]")


def _squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


def _log(reg: Registry, tmp_path: Path) -> None:
    """A log written by the real services: the cases the two texts once told differently."""
    add_org(reg, name="城南联合党支部", type="联合党支部")
    set_setting(reg, "operator", "王书记")
    set_setting(reg, "unit", "城南街道快递物流行业党委")
    add_person(reg, name="张三", id_number=ID_MAN_1985, category="正式党员", organization="城南联合党支部",
               joined_on="2010-07-01", managed_from="2020-01-01")
    edit_person(reg, ID_MAN_1985, id_number=ID_OTHER, phone="13800138000")
    census = tmp_path / "补充摸排.csv"
    census.write_text("姓名,身份证号,政治面貌,联系电话,所在网点\n"
                      f"钱多多,{ID_WOMAN_1992},中共党员,13900139000,补充网点\n"
                      f"孙小明,{ID_MAN_2000},入党积极分子,13600136000,补充网点\n", encoding="utf-8-sig")
    undo_batch(reg, import_files(reg, [census]).batch)
    import_files(reg, [census])
    transfer_out(reg, ID_OTHER, to_org="湖北省武汉市江汉区某街道党工委", letter_no="组转018号",
                 issued_on="2026-04-20", dues_paid_to="2026-03")
    transfer_in(reg, ID_WOMAN_1992, organization="城南联合党支部", from_org="四川省南充市某村党支部",
                arrived_on="2026-05-01")


def test_cli_history_prints_the_windows_sentences(qtbot: Any, reg: Registry, tmp_path: Path,
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    _log(reg, tmp_path)
    page = HistoryPage(reg)
    qtbot.addWidget(page)
    window = [_squeeze(" ".join(page.model.texts(r))) for r in range(page.model.rowCount())]
    capsys.readouterr()
    assert main(["--db", str(reg.path), "history"]) == 0
    printed = capsys.readouterr().out.splitlines()
    assert _squeeze(printed[0]) == "时间 操作人 操作 对象 名称 内容"
    assert [_squeeze(line) for line in printed[2:]] == window
    text = "\n".join(window)
    # Every kind of row the brief names is there, in Chinese, and no full ID number anywhere.
    for words in ("公民身份号码：510104********4210 → 110105********002X", "填报人：（空） → 王书记",
                  "本单位名称：（空） → 城南街道快递物流行业党委", "导入补充摸排.csv：共2行", "状态：已导入 → 已撤销",
                  "介绍信编号：组转018号", "开具日期：2026年4月20日"):
        assert words in text
    assert not EIGHTEEN_DIGITS.search(text) and not EIGHTEEN_DIGITS.search("\n".join(printed))
    assert "operator" not in text and "unit" not in text and "T" not in text
