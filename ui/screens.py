"""Every page and dialog of the window by name, built on a registry: for screenshots, the fit test and the manual."""

from __future__ import annotations

import atexit
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QSize, Qt
from PySide6.QtWidgets import QApplication, QDialog, QWidget

from registry.storage.database import Registry
from ui.fit import simulated_screen
from ui.main_window import PAGE_TITLES, PAGES, MainWindow

# Office screens (physical pixels) the window must fit, and what a taskbar takes off their height.
SCREEN_SIZES = ((1024, 768), (1280, 800), (1366, 768), (1920, 1080))
TASKBAR = 40


def available_area(width: int, height: int, scale: float) -> QSize:
    """The logical pixels a window may cover on a width×height screen at that scaling, the taskbar excepted."""
    return QSize(int(width / scale), int(height / scale) - TASKBAR)


@dataclass(frozen=True)
class Screen:
    """One page or dialog: its name on the command line, its Chinese title, and how to open it."""

    name: str
    title: str
    kind: str  # "page" or "dialog"
    build: Callable[[MainWindow], QWidget]


def _person_id(reg: Registry, category: str | None = None) -> int:
    """A real person of the registry (of a category when asked), so that dialogs open filled in."""
    sql = "SELECT id FROM people WHERE left_on IS NULL" + (" AND category = ?" if category else "") + " ORDER BY id"
    row = reg.conn.execute(sql, (category,) if category else ()).fetchone()
    if row is None:
        row = reg.conn.execute("SELECT id FROM people ORDER BY id").fetchone()
    if row is None:
        raise LookupError("这个数据库里还没有人员，无法打开人员对话框；请用演示数据库。")
    return int(row[0])


def _org_name(reg: Registry) -> str | None:
    row = reg.conn.execute("SELECT name FROM organizations ORDER BY id").fetchone()
    return str(row[0]) if row else None


def _outlet(reg: Registry) -> tuple[str, str | None] | None:
    from registry.services.outlets import list_outlets

    outlets = list_outlets(reg)
    return (str(outlets[0]["name"]), outlets[0]["brand"]) if outlets else None


def _station_id(reg: Registry) -> int:
    row = reg.conn.execute("SELECT id FROM care_stations ORDER BY (class IS NULL), id").fetchone()
    if row is None:
        raise LookupError("这个数据库里还没有驿站，无法打开驿站对话框；请用演示数据库。")
    return int(row[0])


def _first(reg: Registry, table: str) -> int | None:
    row = reg.conn.execute(f"SELECT id FROM {table} ORDER BY id").fetchone()
    return int(row[0]) if row else None


def _first_name(reg: Registry, table: str) -> str | None:
    row = reg.conn.execute(f"SELECT name FROM {table} ORDER BY id").fetchone()
    return str(row[0]) if row else None


def _station_import(window: MainWindow) -> QWidget:
    """The station-list import after a small list was read (its preview, nothing imported)."""
    from registry.demo_care import write_demo_station_list
    from ui.dialogs.station_import_dialog import StationImportDialog

    path = write_demo_station_list(_scratch_folder() / "驿站名单.xlsx")
    return StationImportDialog(window.reg, window, path)


def _volunteer_id(reg: Registry, table: str) -> int:
    """The busiest activity, the first post or the first service record, so that volunteer dialogs open filled in."""
    sql = {"volunteer_activities": "SELECT activity_id FROM volunteer_records GROUP BY activity_id"
                                   " ORDER BY count(*) DESC, activity_id LIMIT 1"}.get(table, f"SELECT min(id) FROM {table}")
    row = reg.conn.execute(sql).fetchone()
    if row is None or row[0] is None:
        raise LookupError("这个数据库里还没有志愿服务记录，无法打开这个对话框；请用演示数据库。")
    return int(row[0])


def _page(name: str) -> Callable[[MainWindow], QWidget]:
    def build(window: MainWindow) -> QWidget:
        window.show_page(name)
        return window

    return build


_scratch: list[Path] = []


def _scratch_folder() -> Path:
    """A temporary folder for the census a screen reads, removed when the program ends."""
    if not _scratch:
        _scratch.append(Path(tempfile.mkdtemp(prefix="screens-")))
        atexit.register(shutil.rmtree, _scratch[0], True)
    return _scratch[0]


def _import_state(step: int) -> Callable[[MainWindow], QWidget]:
    """The import page after a small census was read: 核对表格 (1), 预览结果 (2) or, imported, 完成 (3).

    The preview is the dry run the page itself would run. The finished import is made in a scratch copy of the
    database, so that showing it changes nothing in the one that is open.
    """

    def build(window: MainWindow) -> QWidget:
        from registry.demo_census import write_demo_census
        from registry.importing.service import import_files

        folder = _scratch_folder()
        census = write_demo_census(folder / "城南街道摸排表.xlsx")
        page = window.importer
        page.restart()
        page.paths = [census]
        page._show_preview(import_files(window.reg, [census], dry_run=True))
        page._go(min(step, 2))
        if step == 3:
            copy = folder / f"scratch-{len(list(folder.glob('scratch-*.db')))}.db"
            with Registry(copy, create=True) as scratch:
                window.reg.conn.backup(scratch.conn)
            with Registry(copy, operator=window.reg.operator) as scratch:
                page.blockSignals(True)  # nothing changed in the open database: the window must not look for the batch
                try:
                    page._imported(import_files(scratch, [census]))
                finally:
                    page.blockSignals(False)
            page.undone = True  # its batch lives in the scratch copy: 撤销 here must touch nothing
        window.show_page("import")
        return window

    return build


def _development_record(window: MainWindow) -> QWidget:
    """The 发展党员 page opened on the person whose record has the most recorded steps (the first one without)."""
    window.show_page("development")
    page = window.development
    row = window.reg.conn.execute("SELECT person_id FROM development_steps GROUP BY person_id"
                                  " ORDER BY count(*) DESC, person_id LIMIT 1").fetchone()
    if row is not None and page.select_person(int(row[0])):
        page.open_person()
    return window


def _dues_payers(reg: Registry) -> list[int]:
    """Members with a base to pay on (several, as a branch collects them), else any 正式党员."""
    rows = reg.conn.execute("SELECT DISTINCT person_id FROM dues_bases WHERE pays_at = '本单位' ORDER BY person_id"
                            " LIMIT 12").fetchall()
    return [int(r[0]) for r in rows] or [_person_id(reg, "正式党员")]


def _dues_base_dialog(window: MainWindow) -> QWidget:
    from ui.dialogs.dues_dialog import DuesBaseDialog

    row = window.reg.conn.execute("SELECT person_id, id FROM dues_bases WHERE pays_at = '本单位' ORDER BY id"
                                  " LIMIT 1").fetchone()
    if row is None:
        raise LookupError("这个数据库里还没有党费基数记录；请用演示数据库。")
    return DuesBaseDialog(window.reg, int(row[0]), window, base_id=int(row[1]))


def _dues_payment_dialog(window: MainWindow) -> QWidget:
    from ui.dialogs.dues_dialog import DuesPaymentDialog

    row = window.reg.conn.execute("SELECT person_id, id FROM dues_payments ORDER BY id LIMIT 1").fetchone()
    if row is None:
        raise LookupError("这个数据库里还没有党费交纳记录；请用演示数据库。")
    return DuesPaymentDialog(window.reg, [int(row[0])], window, payment_id=int(row[1]))


IMPORT_STATES = (("import-sheets", "导入：核对表格", 1), ("import-preview", "导入：预览结果和问题清单", 2),
                 ("import-done", "导入：完成", 3))


def _dialogs() -> list[Screen]:
    # Imported here: the dialogs pull in most of the window, and a page screenshot needs none of them.
    from ui.dialogs.archive_dialog import ArchiveDialog
    from ui.dialogs.care_list_dialogs import CareStreetDialog, MerchantDialog
    from ui.dialogs.dues_dialog import DuesBaseDialog, DuesPaymentDialog
    from ui.dialogs.export_dialog import ExportDialog
    from ui.dialogs.flowing_dialog import FlowingReportDialog, TransferDialog
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.org_dialog import OrgDialog
    from ui.dialogs.outlet_dialog import OutletDialog
    from ui.dialogs.person_dialog import PersonDialog
    from ui.dialogs.report_dialog import ReportDialog
    from ui.dialogs.restore_dialog import RestoreDialog
    from ui.dialogs.stage_dialog import StageDialog
    from ui.dialogs.station_dialog import StationDialog, VisitsDialog
    from ui.dialogs.step_dialog import CancelDialog, StepDialog
    from ui.dialogs.volunteer_activity_dialog import ActivityDialog
    from ui.dialogs.volunteer_dialog import VolunteerDialog
    from ui.dialogs.volunteer_post_dialog import ClaimDialog, PostDialog
    from ui.dialogs.volunteer_record_dialog import RecordDialog
    from ui.dialogs.volunteer_rules_dialog import RulesDialog
    from ui.dialogs.welcome_dialog import WelcomeDialog

    def reg(w: MainWindow) -> Registry:
        return w.reg

    return [
        Screen("person", "编辑人员", "dialog", lambda w: PersonDialog(reg(w), _person_id(reg(w), "正式党员"), w)),
        Screen("person-new", "新增人员", "dialog", lambda w: PersonDialog(reg(w), None, w)),
        Screen("stage", "推进发展阶段", "dialog", lambda w: StageDialog(reg(w), _person_id(reg(w), "入党积极分子"), w)),
        Screen("stage-admission", "推进发展阶段：接收为预备党员", "dialog",
               lambda w: StageDialog(reg(w), _person_id(reg(w), "发展对象"), w)),
        Screen("step", "登记步骤", "dialog",
               lambda w: StepDialog(reg(w), _person_id(reg(w), "预备党员"), "full_meeting", parent=w)),
        Screen("step-review", "登记步骤：培养考察", "dialog",
               lambda w: StepDialog(reg(w), _person_id(reg(w), "入党积极分子"), parent=w)),
        Screen("cancel", "取消预备党员资格", "dialog", lambda w: CancelDialog(reg(w), _person_id(reg(w), "预备党员"), w)),
        Screen("report", "月报、花名册和登记表", "dialog", lambda w: ReportDialog(reg(w), w)),
        Screen("export", "导出花名册", "dialog", lambda w: ExportDialog(reg(w), None, w)),
        Screen("meeting", "记录组织生活", "dialog", lambda w: MeetingDialog(reg(w), w, organization=_org_name(reg(w)))),
        Screen("volunteer-stint", "记录志愿服务", "dialog", lambda w: VolunteerDialog(reg(w), _person_id(reg(w)), w)),
        Screen("volunteer-activity", "新增志愿服务活动", "dialog",
               lambda w: ActivityDialog(reg(w), None, w, organization=_org_name(reg(w)))),
        Screen("volunteer-activity-edit", "编辑志愿服务活动", "dialog",
               lambda w: ActivityDialog(reg(w), _volunteer_id(reg(w), "volunteer_activities"), w)),
        Screen("volunteer-post", "编辑志愿服务岗位", "dialog",
               lambda w: PostDialog(reg(w), _volunteer_id(reg(w), "volunteer_posts"), w)),
        Screen("volunteer-claim", "认领志愿服务岗位", "dialog",
               lambda w: ClaimDialog(reg(w), _volunteer_id(reg(w), "volunteer_posts"), w)),
        Screen("volunteer-record", "修改服务记录", "dialog",
               lambda w: RecordDialog(reg(w), _volunteer_id(reg(w), "volunteer_records"), w)),
        Screen("volunteer-rules", "设置积分规则", "dialog", lambda w: RulesDialog(reg(w), w)),
        Screen("org", "编辑党组织", "dialog", lambda w: OrgDialog(reg(w), _org_name(reg(w)), w)),
        Screen("outlet", "编辑网点", "dialog", lambda w: OutletDialog(reg(w), _outlet(reg(w)), w)),
        Screen("flowing", "流动党员报到", "dialog",
               lambda w: FlowingReportDialog(reg(w), _person_id(reg(w), "正式党员"), w)),
        Screen("transfer-in", "组织关系转入", "dialog",
               lambda w: TransferDialog(reg(w), _person_id(reg(w), "正式党员"), "in", w)),
        Screen("transfer-out", "组织关系转出", "dialog",
               lambda w: TransferDialog(reg(w), _person_id(reg(w), "正式党员"), "out", w)),
        Screen("dues-base", "登记党费基数", "dialog", lambda w: DuesBaseDialog(reg(w), _person_id(reg(w), "正式党员"), w)),
        Screen("dues-base-edit", "修改党费基数", "dialog", lambda w: _dues_base_dialog(w)),
        Screen("dues-pay", "交纳党费", "dialog", lambda w: DuesPaymentDialog(reg(w), _dues_payers(reg(w)), w)),
        Screen("dues-pay-edit", "修改党费交纳记录", "dialog", lambda w: _dues_payment_dialog(w)),
        Screen("archive", "报送存档", "dialog", lambda w: ArchiveDialog(reg(w), w)),
        Screen("restore", "从备份恢复", "dialog", lambda w: RestoreDialog(reg(w).path, w, operator=reg(w).operator)),
        Screen("welcome", "欢迎", "dialog", lambda w: WelcomeDialog(str(reg(w).path.parent), w)),
        Screen("station", "编辑驿站", "dialog", lambda w: StationDialog(reg(w), _station_id(reg(w)), w)),
        Screen("station-new", "新增驿站", "dialog", lambda w: StationDialog(reg(w), None, w)),
        Screen("station-visits", "登记服务人次", "dialog",
               lambda w: VisitsDialog(reg(w), _station_id(reg(w)), "2026-11", w)),
        Screen("station-import", "导入驿站名单", "dialog", _station_import),
        Screen("merchant", "编辑暖蜂商户", "dialog", lambda w: MerchantDialog(reg(w), _first(reg(w), "care_merchants"), w)),
        Screen("care-street", "编辑暖蜂一条街", "dialog",
               lambda w: CareStreetDialog(reg(w), _first_name(reg(w), "care_streets"), w)),
    ]


def _org_life_dialogs() -> list[Screen]:
    """The 组织生活 page's dialogs: a held meeting with its roll call, 党小组, a branch's settings."""
    from ui.dialogs.branch_settings_dialog import BranchSettingsDialog
    from ui.dialogs.meeting_dialog import MeetingDialog
    from ui.dialogs.party_group_dialog import PartyGroupDialog

    def meeting(w: MainWindow) -> QWidget:
        row = w.reg.conn.execute("SELECT m.id FROM meetings m JOIN meeting_attendance a ON a.meeting_id = m.id"
                                 " GROUP BY m.id ORDER BY count(*) DESC, m.id LIMIT 1").fetchone()
        return MeetingDialog(w.reg, w, meeting_id=int(row[0]) if row else None, organization=_org_name(w.reg))

    def grouped(w: MainWindow) -> str | None:
        row = w.reg.conn.execute("SELECT o.name FROM party_groups g JOIN organizations o ON o.id = g.organization_id"
                                 " ORDER BY g.id LIMIT 1").fetchone()
        return str(row[0]) if row else None

    return [
        Screen("meeting-edit", "修改组织生活记录", "dialog", meeting),
        Screen("party-groups", "党小组", "dialog", lambda w: PartyGroupDialog(w.reg, grouped(w), w)),
        Screen("branch-settings", "组织生活设置", "dialog", lambda w: BranchSettingsDialog(w.reg, grouped(w), w)),
    ]


def screens() -> dict[str, Screen]:
    """Every page (as the main window showing it), the import page's later steps, and every dialog, in menu order."""
    found = {name: Screen(name, PAGE_TITLES[name], "page", _page(name)) for name in PAGES}
    found.update({name: Screen(name, title, "page", _import_state(step)) for name, title, step in IMPORT_STATES})
    found["development-record"] = Screen("development-record", "发展党员：一人的发展记录", "page", _development_record)
    found.update({s.name: s for s in _dialogs()})
    found.update({s.name: s for s in _org_life_dialogs()})
    return found


def open_screen(window: MainWindow, name: str, available: QSize) -> QWidget:
    """Open a screen as it would appear on a screen of `available` logical pixels, shown and laid out.

    A page is the main window filling the screen. A dialog is built as if on that screen and opens at the size
    it gives itself there (a dialog that sets none opens at its size hint, as Qt would show it).
    """
    screen = screens()[name]
    with simulated_screen(available):
        widget = screen.build(window)
        if screen.kind == "page":
            window.resize(available)
            window.show()
        else:
            assert isinstance(widget, QDialog)
            if not widget.testAttribute(Qt.WidgetAttribute.WA_Resized):
                widget.resize(widget.sizeHint().expandedTo(widget.minimumSizeHint()).boundedTo(available))
            widget.show()
        QApplication.processEvents()
    return widget
