"""Derived sort and search columns are rebuilt when the rule that made them changes."""

from __future__ import annotations

from pathlib import Path

from registry.person_keys import KEYS_VERSION, person_keys
from registry.services.people import add_person
from registry.storage.database import Registry


def test_stale_keys_are_rebuilt_on_open(tmp_path: Path) -> None:
    path = tmp_path / "k.db"
    with Registry(path, create=True) as reg:
        add_person(reg, name="张三", id_number="510104198503154210", phone="13800138000")
        reg.conn.execute("UPDATE people SET sort_stroke = 'old', search_text = 'old'")
        reg.conn.execute("UPDATE settings SET value = '0' WHERE key = 'keys_version'")
    with Registry(path) as reg:
        row = reg.query("SELECT sort_stroke, sort_pinyin, search_text FROM people")[0]
        assert row == person_keys("张三", "510104198503154210", "13800138000")
        assert reg.setting("keys_version") == KEYS_VERSION


def test_search_text_has_pinyin_and_initials() -> None:
    keys = person_keys("欧阳娜", "11010519491231002X", None)
    assert "ouyangna" in keys["search_text"] and "oyn" in keys["search_text"]
    assert "11010519491231002x" in keys["search_text"]
