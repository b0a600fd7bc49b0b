"""Screenshots of the import and history pages for docs/ (scripts/screenshot_pages.py [folder] [--all])."""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import openpyxl  # noqa: E402
from openpyxl.styles import Font  # noqa: E402

from registry.demo import fill_demo  # noqa: E402
from registry.importing.batches import undo_batch  # noqa: E402
from registry.importing.service import import_files  # noqa: E402
from registry.services.people import edit_person  # noqa: E402
from registry.storage.database import Registry  # noqa: E402
from ui import worker  # noqa: E402
from ui.app import create_app  # noqa: E402
from ui.pages.history_page import HistoryPage  # noqa: E402
from ui.pages.import_page import ImportPage  # noqa: E402

SIZE = (1280, 800)
HEADER = ["序号", "姓名", "性别", "身份证号码", "政治面貌", "手机号码", "所在网点", "入党时间", "现住址", "微信号"]
PEOPLE = [
    ("刘建国", "男", "510104198503154210", "中共党员", "13800138000", "沙河网点", "2010.07", "成都市锦江区东大街1号", "ljg85"),
    ("陈晓梅", "女", "420106199207080064", "入党积极分子", "139 0013 9000", "沙河网点", "", "成都市成华区", ""),
    ("王五", "男", "440305200001012618", "群众", "13700137000", "沙河网点", "", "成都市武侯区", ""),
    ("周杰", "男", "440305200001012617", "中共预备党员", "1360013600", "春熙路网点", "2025年3月", "", ""),
    ("刘建国", "男", "510104198503154210", "中共党员", "13800138000", "沙河网点", "2010.07", "", ""),
    ("黄丽", "女", "11010519491231002X", "中共党员", "13500135000", "春熙路网点", "1975.06", "", ""),
    ("吴磊", "男", "51010419850315421", "群众", "13400134000", "春熙路网点", "", "", ""),
]


def census(folder: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "城南网点摸排"
    ws["A1"] = "城南街道快递行业党员及入党积极分子摸排表"
    ws["A1"].font = Font(bold=True, size=16)
    ws.merge_cells("A1:J1")
    ws["A2"] = "填报单位（盖章）：城南快递联合党支部"
    ws.append(HEADER)
    for i, person in enumerate(PEOPLE, 1):
        ws.append([i, *person])
    wb.create_sheet("填表说明")["A1"] = "身份证号请填写18位。"
    path = folder / "城南街道摸排表.xlsx"
    wb.save(path)
    return path


def main() -> None:
    args = [a for a in sys.argv[1:] if a != "--all"]
    extra = "--all" in sys.argv  # also the sheets step and the batches tab
    out = Path(args[0]) if args else ROOT / "docs"
    out.mkdir(parents=True, exist_ok=True)
    create_app(["screenshots"])
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        reg = Registry(folder / "demo.db", operator="李书记", create=True)
        fill_demo(reg, people=80)
        sheet = census(folder)

        page = ImportPage(reg)
        page.resize(*SIZE)
        page.show()
        page.add_files([sheet])
        worker.wait_idle()
        if extra:
            page.grab().save(str(out / "screenshot_import_sheets.png"))
        page._go(2)
        page.grab().save(str(out / "screenshot_import.png"))

        batch = import_files(reg, [sheet]).batch
        edit_person(reg, "420106199207080064", phone="13912345678", category="发展对象")
        second = import_files(reg, [sheet]).batch
        if second is not None:
            undo_batch(reg, second)
        history = HistoryPage(reg)
        history.resize(*SIZE)
        history.show()
        history.grab().save(str(out / "screenshot_history.png"))
        if extra:
            history.tabs.setCurrentIndex(1)
            history.batches.selectRow(0 if batch is None else 1)
            history.grab().save(str(out / "screenshot_history_batches.png"))
        reg.close()
    print(f"screenshots written to {out}")


if __name__ == "__main__":
    main()
