"""First start: the unit and the secretary given in the welcome dialog, and the log rows written then."""

from __future__ import annotations

from pathlib import Path

import main as app_main
from registry.services.history import history
from registry.services.history_text import history_line, recent_line
from registry.storage.database import Registry


def test_first_start_rows_are_the_secretarys_not_the_computer_users(tmp_path: Path) -> None:
    with Registry(tmp_path / "台账.db", create=True) as reg:  # as the window opens it: no operator given
        app_main._first_settings(reg, "城南街道快递物流行业党委", "王书记")
        rows = history(reg)
        assert rows and {r["operator"] for r in rows} == {"王书记"}
        assert {o for (o,) in reg.conn.execute("SELECT operator FROM operations")} == {"王书记"}
        assert reg.operator == "王书记" and reg.setting("operator") == "王书记"
        assert len({r["operation"] for r in rows}) == 1  # one use case, one transaction
    with Registry(tmp_path / "台账.db") as again:  # the next start reads the saved name
        assert again.operator == "王书记"


def test_settings_read_in_chinese_in_the_log_and_on_the_dashboard(tmp_path: Path) -> None:
    with Registry(tmp_path / "台账.db", create=True) as reg:
        app_main._first_settings(reg, "城南街道快递物流行业党委", "王书记")
        lines = [history_line(r).cells() for r in history(reg)]
        recent = recent_line(history(reg)[0])
    texts = " ".join(" ".join(c) for c in lines) + recent
    assert "operator" not in texts and "unit" not in texts
    assert lines[0][2:] == ("修改", "设置", "填报人", "填报人：（空） → 王书记")
    assert lines[1][2:] == ("修改", "设置", "本单位名称", "本单位名称：（空） → 城南街道快递物流行业党委")
    assert recent.endswith("　王书记　设置本单位名称为“城南街道快递物流行业党委”、填报人为“王书记”")


def test_old_settings_summaries_with_raw_keys_are_rebuilt() -> None:
    row = {"op": "update", "entity": "settings", "field": "operator", "label": "operator", "old": None,
           "new": "王书记", "summary": "设置 operator", "at": "2026-12-01T07:26:46", "operator": "root"}
    assert recent_line(row) == "2026年12月1日 07:26　root　设置填报人为“王书记”"
    assert history_line(row).cells() == ("2026年12月1日 07:26", "root", "修改", "设置", "填报人", "填报人：（空） → 王书记")


def test_the_dashboard_lists_the_first_start_in_chinese(qtbot, tmp_path: Path) -> None:
    from ui.pages.dashboard import DashboardPage

    with Registry(tmp_path / "台账.db", create=True) as reg:
        app_main._first_settings(reg, "城南街道快递物流行业党委", "王书记")
        page = DashboardPage(reg)
        qtbot.addWidget(page)
        page.refresh()
        items = [page.recent.item(i).text() for i in range(page.recent.count())]
        assert items == [recent_line(history(reg)[0])]
        assert "王书记　设置本单位名称为“城南街道快递物流行业党委”、填报人为“王书记”" in items[0]
        assert "operator" not in items[0] and "unit" not in items[0] and "T" not in items[0]


def test_the_demo_is_logged_as_demo_data_not_as_the_computers_user(tmp_path) -> None:
    import main

    with Registry(tmp_path / "demo.db", create=True, operator="root") as reg:
        main._demo_if_new(reg)
        assert {o for (o,) in reg.conn.execute("SELECT operator FROM operations")} == {"演示数据"}
        assert reg.setting("unit") == "示例市快递物流行业党委（演示数据）"
        assert reg.operator == "root"  # what the user does next is hers
