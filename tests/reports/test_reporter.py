"""填报人 on the monthly and half-monthly report: the secretary's name given at first start."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import main as app_main
from registry.rules.periods import month_period, parse_half
from registry.services.submissions import write_report
from registry.storage.database import Registry
from tests.reports.conftest import needs_poppler, pdf_text


@needs_poppler
def test_the_first_start_secretary_signs_the_reports(tmp_path: Path) -> None:
    with Registry(tmp_path / "台账.db", create=True) as reg:
        app_main._first_settings(reg, "城南街道快递物流行业党委", "王书记")
        for period, name in ((month_period(date(2026, 11, 1)), "月报.pdf"), (parse_half("2026-11-2"), "通报.pdf")):
            figures = write_report(reg, tmp_path / name, period)
            assert figures["reporter"] == "王书记"
            text = "".join(pdf_text(tmp_path / name, layout=False)).replace("\n", "")
            assert "填报人：王书记" in text and "审核人：＿＿＿＿＿＿＿＿" in text


@needs_poppler
def test_without_a_saved_name_the_line_stays_blank_not_the_computer_user(tmp_path: Path) -> None:
    with Registry(tmp_path / "台账.db", operator="root", create=True) as reg:
        write_report(reg, tmp_path / "月报.pdf", month_period(date(2026, 11, 1)))
    text = "".join(pdf_text(tmp_path / "月报.pdf", layout=False)).replace("\n", "")
    assert "填报人：＿＿＿＿＿＿＿＿" in text and "root" not in text
