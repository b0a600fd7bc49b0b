"""The import page end to end: files → sheets and columns → preview → apply → summary → undo."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import openpyxl
import pytest
from PySide6.QtCore import QMimeData, QPointF, Qt, QUrl
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QMessageBox

from registry.importing.readers import read_file
from registry.importing.templates import load_overrides
from registry.services.outlets import list_outlets
from registry.services.people import edit_person, get_person
from registry.services.search import PeopleFilter, count_people
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_MAN_2000, ID_WOMAN_1992
from ui import file_dialogs, worker
from ui.pages.import_page import ImportPage
from ui.pages.import_parts import LEVEL_COLOURS

HEADER = ["序号", "姓\u3000名", "性别", "身份证号", "政治面貌", "联系电话", "所在网点", "入党日期", "常住地点"]
PEOPLE = [
    (1, " 张三 ", "男", ID_MAN_1985, "中共党员", 13800138000, "沙河网点", "2010.07", "成都市锦江区东大街1号"),
    (2, "李小红", "女", ID_WOMAN_1992, "积极分子", "139 0013 9000", "沙河网点", None, "成都市成华区"),
    (3, "王五", "男", "440305200001012618", "群众", "13700137000", "沙河网点", None, "成都市武侯区"),  # bad check digit
    (4, "赵强", "男", ID_MAN_2000.lower(), "中共预备党员", "13600136000", "春熙路网点", "2025年3月", None),
    (5, "张三", "男", ID_MAN_1985, "中共党员", "13800138000", "沙河网点", "2010.07", "成都市锦江区东大街1号"),  # twice
]


class Dialogs:
    """Stand-ins for every static dialog the page opens, recording what the user would have seen."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.messages: list[tuple[str, str]] = []
        self.answer = QMessageBox.StandardButton.Yes
        self.save_name = ""
        self.open_names: list[str] = []
        for kind in ("warning", "critical", "information"):
            monkeypatch.setattr(QMessageBox, kind, self._recorder(kind))
        monkeypatch.setattr(QMessageBox, "question", self._question)
        monkeypatch.setattr(file_dialogs, "get_save_file_name", lambda *a, **k: (self.save_name, ""))
        monkeypatch.setattr(file_dialogs, "get_open_file_names", lambda *a, **k: (self.open_names, ""))

    def _recorder(self, kind: str) -> Any:
        def record(_parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
            self.messages.append((kind, text))
            return QMessageBox.StandardButton.Ok
        return record

    def _question(self, _parent: Any, _title: str, text: str, *rest: Any) -> QMessageBox.StandardButton:
        self.messages.append(("question", text))
        return self.answer


@pytest.fixture
def dialogs(monkeypatch: pytest.MonkeyPatch) -> Dialogs:
    return Dialogs(monkeypatch)


@pytest.fixture
def census(tmp_path: Path) -> Path:
    """A census workbook as it arrives: merged title, 填报单位 row, header on row 3, an instructions sheet."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "城南网点摸排"
    ws["A1"] = "城南街道快递行业党员及入党积极分子摸排表"
    ws.merge_cells("A1:I1")
    ws["A2"] = "填报单位（盖章）：城南快递联合党支部"
    ws["G2"] = "填报时间：2025年3月"
    ws.append(HEADER)
    for row in PEOPLE:
        ws.append(list(row))
    ws.append([None, "合计", "5人"])
    notes = wb.create_sheet("填表说明")
    notes["A1"] = "1. 身份证号请填写18位。"
    notes["A2"] = "2. 政治面貌填写中共党员、中共预备党员、入党积极分子或群众。"
    path = tmp_path / "城南街道摸排表.xlsx"
    wb.save(path)
    return path


def wait(qtbot: Any) -> None:
    qtbot.waitUntil(lambda: not worker.busy(), timeout=30000)


@pytest.fixture
def page(qtbot: Any, reg: Registry) -> ImportPage:
    widget = ImportPage(reg)
    qtbot.addWidget(widget)
    widget.resize(1280, 800)
    widget.show()
    yield widget
    worker.wait_idle()


def counts(page: ImportPage) -> dict[str, int]:
    return {key: int(label.text()) for key, label in page.count_labels.items()}


def mapping_row(page: ImportPage, header: str) -> int:
    return next(r for r in range(page.mapping.rowCount()) if page.mapping.item(r, 0).text() == header)


def test_import_end_to_end_then_undo(qtbot: Any, reg: Registry, page: ImportPage, census: Path, dialogs: Dialogs,
                                      tmp_path: Path) -> None:
    page.add_files([census])
    wait(qtbot)
    assert page.stack.currentIndex() == 1
    sheets = [[page.sheets.item(r, c).text() for c in range(6)] for r in range(page.sheets.rowCount())]
    assert sheets[0][:5] == ["城南街道摸排表.xlsx", "城南网点摸排", "人员名单", "3", "5"]
    assert sheets[1][2] == "未识别" and "填表说明" in sheets[1][5]
    assert counts(page) == {"added": 3, "updated": 0, "unchanged": 0, "rejected": 1, "duplicates": 1}
    assert "错误1处" in page.tally.text()

    problems = page.problem_model
    levels = [problems.index(r, 4).data() for r in range(problems.rowCount())]
    assert levels.count("错误") == 1 and "提醒" in levels  # the duplicate (and any date reminders)
    error_row = levels.index("错误")
    assert problems.index(error_row, 2).data() == "王五"
    assert "校验位" in problems.index(error_row, 5).data()
    assert problems.index(error_row, 0).data(Qt.ItemDataRole.BackgroundRole) == LEVEL_COLOURS["error"]
    warning_row = levels.index("提醒")
    assert problems.index(warning_row, 0).data(Qt.ItemDataRole.BackgroundRole) == LEVEL_COLOURS["warning"]

    # 常住地点 is not recognised: the user points it at 家庭住址 and the preview runs again.
    combo = page.mapping.cellWidget(mapping_row(page, "常住地点"), 1)
    assert combo.currentText() == "（不导入）"
    combo.setCurrentIndex(combo.findData("address"))
    wait(qtbot)
    assert page.mappings == {"常住地点": "address"}
    assert page.mapping.cellWidget(mapping_row(page, "常住地点"), 1).currentText() == "家庭住址"
    assert page.preview is not None and page.preview.sheets[0]["columns"]["常住地点"] == "address"
    page.save_mapping_box.setChecked(True)

    page._go(2)
    with qtbot.waitSignal(page.changed, timeout=30000):
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    assert page.stack.currentIndex() == 3
    assert page.summary_title.text() == "导入完成"
    assert page.result is not None and page.result.batch is not None
    assert page.summary_batch.text() == f"批次号：{page.result.batch}"
    assert "新增3人" in page.summary_counts.text()
    assert count_people(reg, PeopleFilter(include_left=True)) == 3
    assert get_person(reg, ID_MAN_1985)["address"] == "成都市锦江区东大街1号"
    assert load_overrides(reg, read_file(census)[0]) == {"常住地点": "address"}

    dialogs.save_name = str(tmp_path / "退回修改")
    qtbot.mouseClick(page.problems_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    sent_back = tmp_path / "退回修改.xlsx"
    assert sent_back.exists()
    assert dialogs.messages[-1] == ("information", f"已把1行有问题的数据保存到“{sent_back}”。")
    returned = openpyxl.load_workbook(sent_back).active
    assert "校验位" in " ".join(str(c.value) for c in returned[2] if c.value)

    with qtbot.waitSignal(page.changed, timeout=30000):
        qtbot.mouseClick(page.undo_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    kind, question = dialogs.messages[-1]
    assert kind == "question"
    assert count_people(reg, PeopleFilter(include_left=True)) == 0
    assert list_outlets(reg) == []
    assert page.summary_title.text() == "本次导入已撤销"
    # The result repeats the question's numbers in its words ("删除新增的4人，删除新建的网点2个").
    said = question.split("：", 1)[1].split("。")[0]
    assert "删除新增的" in said and page.summary_note.text().split("：", 1)[1].startswith(said)
    assert not page.undo_button.isEnabled()

    qtbot.mouseClick(page.again_button, Qt.MouseButton.LeftButton)
    assert page.stack.currentIndex() == 0 and page.paths == []


def test_strict_mode_imports_nothing(qtbot: Any, reg: Registry, page: ImportPage, census: Path,
                                     dialogs: Dialogs) -> None:
    page.add_files([census])
    wait(qtbot)
    page._go(2)
    page.strict_box.setChecked(True)
    emitted: list[bool] = []
    page.changed.connect(lambda: emitted.append(True))
    qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    assert page.summary_title.text() == "没有导入任何数据"
    assert page.back_to_preview.isVisibleTo(page) and not page.undo_button.isVisibleTo(page)
    assert count_people(reg, PeopleFilter(include_left=True)) == 0
    assert emitted == []


def test_undo_refused_shows_the_reason(qtbot: Any, reg: Registry, page: ImportPage, census: Path,
                                       dialogs: Dialogs) -> None:
    page.add_files([census])
    wait(qtbot)
    page.start_import()
    wait(qtbot)
    edit_person(reg, ID_WOMAN_1992, phone="13900000000")
    page.undo()
    wait(qtbot)
    kind, text = dialogs.messages[-1]
    assert kind == "warning" and "撤销会丢掉这些修改" in text
    assert count_people(reg, PeopleFilter(include_left=True)) == 3
    assert page.undo_button.isEnabled() and page.stack.isEnabled()


def test_declined_undo_changes_nothing(qtbot: Any, reg: Registry, page: ImportPage, census: Path,
                                       dialogs: Dialogs) -> None:
    page.add_files([census])
    wait(qtbot)
    page.start_import()
    wait(qtbot)
    dialogs.answer = QMessageBox.StandardButton.No
    page.undo()
    wait(qtbot)
    assert count_people(reg, PeopleFilter(include_left=True)) == 3


def test_files_that_cannot_be_imported(qtbot: Any, page: ImportPage, tmp_path: Path, dialogs: Dialogs) -> None:
    note = tmp_path / "说明.docx"
    note.write_bytes(b"PK")
    page.add_files([note])
    assert dialogs.messages[-1][0] == "warning" and "说明.docx" in dialogs.messages[-1][1]
    assert page.stack.currentIndex() == 0 and not worker.busy()

    empty = tmp_path / "空表.xlsx"
    wb = openpyxl.Workbook()
    wb.active["A1"] = "这里没有名单"
    wb.save(empty)
    page.add_files([empty])
    wait(qtbot)
    kind, text = dialogs.messages[-1]
    assert kind == "warning" and "没有找到人员名单" in text
    assert page.stack.currentIndex() == 0 and page.stack.isEnabled()


def test_choose_and_drop_files(qtbot: Any, page: ImportPage, census: Path, tmp_path: Path, dialogs: Dialogs) -> None:
    dialogs.open_names = [str(census)]
    qtbot.mouseClick(page.choose_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    assert page.paths == [census] and page.stack.currentIndex() == 1

    page.restart()
    mime = QMimeData()
    mime.setUrls([QUrl.fromLocalFile(str(census))])
    event = QDropEvent(QPointF(20, 20), Qt.DropAction.CopyAction, mime, Qt.MouseButton.LeftButton,
                       Qt.KeyboardModifier.NoModifier)
    page.dropEvent(event)
    wait(qtbot)
    assert page.paths == [census] and page.preview is not None and page.preview.added == 3


def test_a_bad_file_added_later_is_dropped_again(qtbot: Any, page: ImportPage, census: Path, tmp_path: Path,
                                                 dialogs: Dialogs) -> None:
    page.add_files([census])
    wait(qtbot)
    broken = tmp_path / "损坏.xlsx"
    broken.write_bytes(b"PK\x03\x04 not really a workbook")
    page.add_files([broken])
    wait(qtbot)
    assert dialogs.messages[-1][0] == "warning" and "损坏.xlsx" in dialogs.messages[-1][1]
    assert page.paths == [census] and page.stack.currentIndex() == 1 and page.stack.isEnabled()


def test_undo_on_the_history_page_shows_on_the_import_page(qtbot: Any, reg: Registry, census: Path,
                                                           dialogs: Dialogs, tmp_path: Path,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    """The batch the summary offers to undo is undone in 操作日志: the summary says so and the button is off."""
    from PySide6.QtCore import QSettings

    from registry.importing.batches import list_batches
    from ui.main_window import MainWindow

    QSettings.setDefaultFormat(QSettings.Format.IniFormat)
    QSettings.setPath(QSettings.Format.IniFormat, QSettings.Scope.UserScope, str(tmp_path / "settings"))
    window = MainWindow(reg)
    qtbot.addWidget(window)
    window.show()
    window.show_page("import")
    page = window.importer
    page.add_files([census])
    wait(qtbot)
    page._go(2)
    with qtbot.waitSignal(page.changed, timeout=30000):
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    assert page.undo_button.isEnabled()
    batch = page.result.batch

    window.show_page("history")
    history = window.history
    history.refresh()
    monkeypatch.setattr(history, "selected_batch", lambda: next(b for b in list_batches(reg) if b["id"] == batch))
    with qtbot.waitSignal(history.changed, timeout=30000):
        history.undo_selected()
    wait(qtbot)
    assert not page.undo_button.isEnabled()  # refreshed on data_changed, before the page is even shown
    window.show_page("import")
    assert page.summary_title.text() == "本次导入已撤销"
    assert f"批次{batch}" in page.summary_note.text() and "操作日志" in page.summary_note.text()
    before = len(dialogs.messages)
    page.undo()  # even a stray click asks nothing and does nothing
    assert len(dialogs.messages) == before


def test_import_page_checks_its_batch_when_shown(qtbot: Any, reg: Registry, page: ImportPage, census: Path,
                                                  dialogs: Dialogs) -> None:
    from registry.importing.batches import undo_batch

    page.add_files([census])
    wait(qtbot)
    page._go(2)
    with qtbot.waitSignal(page.changed, timeout=30000):
        qtbot.mouseClick(page.apply_button, Qt.MouseButton.LeftButton)
    wait(qtbot)
    page.hide()
    undo_batch(reg, page.result.batch)  # as the command line or another window would
    page.show()
    assert not page.undo_button.isEnabled()
    assert page.summary_title.text() == "本次导入已撤销"


def test_preview_problem_filter(qtbot: Any, page: ImportPage, census: Path) -> None:
    page.add_files([census])
    wait(qtbot)
    page._go(2)
    bar = page.problem_filter
    assert bar.tally.text().startswith("错误 1 · 提醒 ")
    assert page.problem_model.index(0, 4).data() == "错误"
    bar.buttons["error"].click()
    assert page.problem_model.rowCount() == 1 and page.problem_model.index(0, 2).data() == "王五"
