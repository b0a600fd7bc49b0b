"""The main window: a navigation list, the organisation tree, pages (dashboard, roster, import, history), menus."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from PySide6.QtCore import QSettings, QSize, QStandardPaths, Qt, QUrl
from PySide6.QtGui import QAction, QDesktopServices, QDragEnterEvent, QDropEvent, QKeySequence
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QListWidget,
    QListWidgetItem,
    QMainWindow,
    QMessageBox,
    QSplitter,
    QStackedWidget,
    QTreeWidget,
    QTreeWidgetItem,
    QWidget,
)

from registry.errors import UserError
from registry.services.backup import backup_to
from registry.services.backups import backup_dir, daily_backup
from registry.services.figures import figure_filter, figure_label
from registry.services.organizations import delete_org, subtree_ids
from registry.services.outlets import delete_outlet
from registry.services.tree import org_tree
from registry.storage.database import Registry
from registry.storage.opening import file_key
from registry.storage.sqlite_errors import user_message
from ui.dialogs.export_dialog import ExportDialog
from ui.dialogs.flowing_dialog import FlowingReportDialog, TransferDialog
from ui.dialogs.meeting_dialog import MeetingDialog
from ui.dialogs.org_dialog import OrgDialog
from ui.dialogs.outlet_dialog import OutletDialog
from ui.dialogs.stage_dialog import StageDialog
from ui.dialogs.step_dialog import CancelDialog, StepDialog
from ui.dialogs.volunteer_dialog import VolunteerDialog
from ui.file_dialogs import database_file
from ui.fit import window_room
from ui.help import open_manual, show_about
from ui.pages.care_page import CarePage
from ui.pages.dashboard import DashboardPage
from ui.pages.development_page import DevelopmentPage
from ui.pages.dues_page import DuesPage
from ui.pages.history_page import HistoryPage
from ui.pages.import_page import ImportPage
from ui.pages.org_life_page import OrgLifePage
from ui.pages.roster_page import RosterPage
from ui.pages.volunteer_page import VolunteerPage
from ui.shortcuts import CommandKeys
from ui.single_instance import DatabaseLock
from ui.worker import busy, own_connection, run_in_background, show_error

PAGES = ("dashboard", "roster", "development", "import", "history", "org_life", "dues", "volunteer", "care")
PAGE_TITLES = {"dashboard": "首页", "roster": "花名册", "development": "发展党员", "import": "导入摸排表",
               "history": "操作日志", "org_life": "组织生活", "dues": "党费", "volunteer": "志愿服务", "care": "关爱阵地"}
# Ctrl+number of each page: the first five as before, then 组织生活 6, 党费 7, 志愿服务 8, 关爱阵地 9.
PAGE_KEYS = {"dashboard": 1, "roster": 2, "development": 3, "import": 4, "history": 5, "org_life": 6, "dues": 7,
             "volunteer": 8, "care": 9}
OUTLET_IDS = Qt.ItemDataRole.UserRole + 1  # a tree node's outlet ids, for the roster's filter
IMPORTABLE = (".xlsx", ".xlsm", ".xls", ".ods", ".csv")
# The navigation list, top to bottom: a page's name, or "report" for the report dialog.
NAV = (("dashboard", "首页"), ("roster", "花名册"), ("development", "发展"), ("org_life", "组织生活"), ("dues", "党费"),
       ("volunteer", "志愿服务"), ("care", "关爱阵地"), ("import", "导入"), ("report", "报表"), ("history", "日志"))
NAV_STYLE = ("QListWidget { background: #f7ece9; border: none; border-right: 1px solid #e0c4bd; outline: none; }"
             " QListWidget::item { padding: 9px 2px; color: #5a2d26; }"
             " QListWidget::item:selected { background: #b71c1c; color: white; font-weight: bold; }"
             " QListWidget::item:hover:!selected { background: #f0d9d4; }")


def page_key(name: str) -> int:
    """The number of the page's Ctrl shortcut."""
    return PAGE_KEYS.get(name, PAGES.index(name) + 1)


class MainWindow(QMainWindow):
    def __init__(self, reg: Registry, lock: DatabaseLock | None = None) -> None:
        super().__init__()
        self.reg = reg
        self.lock = lock  # held while this window has the database; None in tests and screenshots
        if lock is not None:
            lock.activated.connect(self.bring_forward)
        self.setWindowTitle(f"快递行业党建台账 — {reg.path}")
        self.setAcceptDrops(True)
        self.tree = QTreeWidget()
        self.tree.setHeaderLabels(["党组织 / 网点", "人数"])
        self.tree.headerItem().setToolTip(1, "人数：全部人员、党组织和网点里的人员（不含已离开的）")
        self.tree.itemClicked.connect(self._tree_clicked)
        self.tree.itemActivated.connect(self._tree_clicked)  # Enter on a node, too
        self.tree.setMinimumWidth(130)
        header = self.tree.header()
        header.setStretchLastSection(False)  # the names take the width; the count column is as wide as its numbers
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setTextElideMode(Qt.TextElideMode.ElideRight)  # cut names keep their beginning; the tooltip has all
        self.pages = QStackedWidget()
        self.dashboard = DashboardPage(reg)
        self.roster = RosterPage(reg)
        self.importer = ImportPage(reg)
        self.history = HistoryPage(reg)
        self.development = DevelopmentPage(reg)
        self.org_life = OrgLifePage(reg)
        self.dues = DuesPage(reg)
        self.volunteer = VolunteerPage(reg)
        self.care = CarePage(reg)
        for page in (self.dashboard, self.roster, self.development, self.importer, self.history, self.org_life,
                     self.dues, self.volunteer, self.care):
            self.pages.addWidget(page)
        for page in (self.roster, self.development, self.importer, self.history, self.org_life, self.dues,
                     self.volunteer, self.care):
            page.changed.connect(self.data_changed)
        self.org_life.message.connect(lambda text: self.statusBar().showMessage(text, 10000))
        self.dashboard.open_figure.connect(self.open_figure)
        self.roster.scope_cleared.connect(lambda: self.tree.setCurrentItem(self.tree.topLevelItem(0)))
        split = self.split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(self.tree)
        split.addWidget(self.pages)
        split.setStretchFactor(1, 1)
        split.setSizes([250, 1000])
        self.nav = self._nav_list()
        central = QWidget()
        row = QHBoxLayout(central)
        row.setContentsMargins(0, 0, 0, 0)
        row.setSpacing(0)
        row.addWidget(self.nav)
        row.addWidget(split, 1)
        self.setCentralWidget(central)
        self._stale: set[str] = set()
        self._menus()
        self.command_keys = CommandKeys(self, self.findChildren(QAction))
        self.command_keys.watch(self)
        self._fill_tree()
        self.show_page("dashboard")
        settings = QSettings()
        geometry = settings.value("window/geometry")
        if geometry is not None:
            self.restoreGeometry(geometry)
        else:
            self.resize(QSize(1280, 800).boundedTo(window_room(self)))  # a first start on a small screen fits it

    # Navigation ----------------------------------------------------------------------------------
    def _nav_list(self) -> QListWidget:
        """One click (or arrow keys and Enter) to any page; the selected row is always the page in view."""
        nav = QListWidget()
        nav.setObjectName("navigation")
        nav.setStyleSheet(NAV_STYLE)
        nav.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        nav.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        for key, text in NAV:
            item = QListWidgetItem(text)
            item.setData(Qt.ItemDataRole.UserRole, key)
            item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
            if key == "report":  # a dialog, not a page: never selected, so the selection stays on the page in view
                item.setFlags(Qt.ItemFlag.ItemIsEnabled)
                item.setToolTip("打开月报、花名册和登记表（Ctrl+P）")
            else:
                item.setToolTip(f"{PAGE_TITLES[key]}（Ctrl+{page_key(key)}）")
            nav.addItem(item)
        nav.setFixedWidth(max(nav.fontMetrics().horizontalAdvance(text) for _, text in NAV) + 22)
        nav.currentItemChanged.connect(self._nav_moved)
        nav.itemSelectionChanged.connect(self._nav_keep_marked)
        nav.itemClicked.connect(self._nav_chosen)
        nav.itemActivated.connect(self._nav_chosen)
        return nav

    def _nav_moved(self, item: QListWidgetItem | None) -> None:
        key = item.data(Qt.ItemDataRole.UserRole) if item is not None else None
        if key in PAGES and key != PAGES[self.pages.currentIndex()]:
            self.show_page(key)

    def _nav_keep_marked(self) -> None:
        """On 报表 (Enter opens it) nothing is selectable: the page in view stays marked."""
        if not self.nav.selectedItems():
            self.nav.blockSignals(True)
            self.nav.item([k for k, _ in NAV].index(PAGES[self.pages.currentIndex()])).setSelected(True)
            self.nav.blockSignals(False)

    def _nav_chosen(self, item: QListWidgetItem) -> None:
        if item.data(Qt.ItemDataRole.UserRole) == "report":
            self.reports()
            self._mark_nav(PAGES[self.pages.currentIndex()])

    def _mark_nav(self, name: str) -> None:
        row = [k for k, _ in NAV].index(name)
        self.nav.blockSignals(True)
        self.nav.setCurrentRow(row)
        self.nav.blockSignals(False)

    # Menus -----------------------------------------------------------------------------------------
    def _action(self, menu_name: str, text: str, slot: object, shortcut: QKeySequence | str | None = None) -> QAction:
        menu = self._menu_by_name[menu_name]
        action = QAction(text, self)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(slot)
        menu.addAction(action)
        return action

    def _menus(self) -> None:
        bar = self.menuBar()
        self._menu_by_name = {name: bar.addMenu(name) for name in ("文件", "人员", "组织", "数据", "报表", "查看", "帮助")}
        self._action("文件", "新建数据库…", self.new_database)
        self._action("文件", "打开数据库…", self.open_database, QKeySequence.StandardKey.Open)
        self.recent_menu = self._menu_by_name["文件"].addMenu("最近打开")
        for path in recent_databases():
            action = self.recent_menu.addAction(path)
            action.triggered.connect(lambda _=False, p=path: self.switch_to(Path(p)))
        self.recent_menu.setEnabled(bool(self.recent_menu.actions()))
        self._action("文件", "备份数据库…", self.backup)
        self._action("文件", "从备份恢复…", self.restore_backup)
        self._action("文件", "数据存放位置", self.show_data_folder)
        self._action("文件", "退出", self.close, QKeySequence.StandardKey.Quit)
        self._action("人员", "查找", self.focus_search, "Ctrl+F")
        self._action("人员", "新增人员…", lambda: (self.show_page("roster"), self.roster.add()), "Ctrl+N")
        self._action("人员", "编辑所选人员…", lambda: (self.show_page("roster"), self.roster.edit()), "Ctrl+Return")
        self._action("人员", "推进发展阶段…", lambda: self._person_dialog(StageDialog))
        self._action("人员", "登记发展步骤…", lambda: self._person_dialog(
            lambda reg, pid, parent: StepDialog(reg, pid, parent=parent)))
        self._action("人员", "取消预备党员资格…", lambda: self._person_dialog(CancelDialog))
        self._action("人员", "删除所选人员…", self._delete, QKeySequence.StandardKey.Delete)
        self._menu_by_name["人员"].addSeparator()
        self._action("人员", "流动党员报到…", lambda: self._person_dialog(FlowingReportDialog))
        self._action("人员", "组织关系转入…", lambda: self._person_dialog(TransferDialog, "in"))
        self._action("人员", "组织关系转出…", lambda: self._person_dialog(TransferDialog, "out"))
        self._action("人员", "记录志愿服务…", lambda: self._person_dialog(VolunteerDialog))
        self._action("组织", "新增党组织…", lambda: self._run(OrgDialog(self.reg, None, self)))
        self._action("组织", "新增网点…", lambda: self._run(OutletDialog(self.reg, None, self)))
        self._action("组织", "编辑左侧所选组织或网点…", self.edit_tree_item)
        self._action("组织", "删除左侧所选组织或网点…", self.delete_tree_item)
        self._menu_by_name["组织"].addSeparator()
        self._action("组织", "记录会议（三会一课、主题党日）…", self.record_meeting)
        self._action("数据", "导入摸排表…", lambda: self.show_page("import"), "Ctrl+I")
        self._action("数据", "导出花名册…", self.export, "Ctrl+E")
        self._action("报表", "月报、花名册和登记表…", self.reports, "Ctrl+P")
        for name in sorted(PAGES, key=page_key):
            self._action("查看", PAGE_TITLES[name], lambda _=False, n=name: self.show_page(n), f"Ctrl+{page_key(name)}")
        self._action("帮助", "使用说明", lambda: open_manual(self), "F1")
        self._action("帮助", "关于", lambda: show_about(self))

    def _run(self, dialog: QDialog, select: int | None = None) -> None:
        """Show the dialog; after a save refresh, keeping the person it was about selected in the roster."""
        if dialog.exec():
            self.data_changed()
            if notice := getattr(dialog, "notice", None):  # what the save means beyond itself (a new branch's records)
                self.statusBar().showMessage(notice, 20000)
            if select is not None:
                self.roster.select_person(select)

    def _person_dialog(self, cls: Callable[..., QDialog], *args: object) -> None:
        """A dialog about the person selected on the 发展党员 page when it is in view, else in the roster."""
        if self.pages.currentWidget() is self.development and self.development.selected_id() is not None:
            pid = self.development.selected_id()
        else:
            self.show_page("roster")
            pid = self.roster.selected_id()
        if pid is None:
            QMessageBox.information(self, "请先选择人员", "请先在花名册中选中一位人员。")
            return
        try:
            dialog = cls(self.reg, pid, *args, self)
        except UserError as exc:
            QMessageBox.warning(self, "无法操作", exc.message)
            return
        self._run(dialog, select=pid)

    def _tree_selection(self) -> tuple[str, object] | None:
        item = self.tree.currentItem()
        data = item.data(0, Qt.ItemDataRole.UserRole) if item else None
        return data if data and data[0] in ("org", "outlet") else None

    def edit_tree_item(self) -> None:
        chosen = self._tree_selection()
        if chosen is None:
            QMessageBox.information(self, "请先选择", "请先在左侧选中一个党组织或网点。")
            return
        dialog: OrgDialog | OutletDialog
        try:  # the record may have gone meanwhile, or an older version stored its name so that it is not found
            if chosen[0] == "org":
                dialog = OrgDialog(self.reg, self.tree.currentItem().text(0), self)
            else:
                dialog = OutletDialog(self.reg, chosen[1], self)  # type: ignore[arg-type]
        except UserError as exc:
            QMessageBox.warning(self, "无法编辑", exc.message)
            return
        self._run(dialog)
        # Selected again after the tree is rebuilt, an outlet under its new name and brand if they changed.
        self._select_tree_item(chosen if isinstance(dialog, OrgDialog) else ("outlet", dialog.outlet))

    def _select_tree_item(self, data: tuple[str, object]) -> None:
        """After the tree is rebuilt, the organisation or outlet just edited is selected again."""
        items = [self.tree.topLevelItem(i) for i in range(self.tree.topLevelItemCount())]
        while items:
            item = items.pop()
            if item.data(0, Qt.ItemDataRole.UserRole) == data:
                self.tree.setCurrentItem(item)
                self.tree.scrollToItem(item)
                return
            items.extend(item.child(i) for i in range(item.childCount()))

    def delete_tree_item(self) -> None:
        chosen = self._tree_selection()
        if chosen is None:
            QMessageBox.information(self, "请先选择", "请先在左侧选中一个党组织或网点。")
            return
        name = self.tree.currentItem().text(0)
        if QMessageBox.question(self, "删除", f"确定要删除“{name}”吗？") != QMessageBox.StandardButton.Yes:
            return
        try:
            if chosen[0] == "org":
                delete_org(self.reg, name)
            else:
                outlet, brand = chosen[1]  # type: ignore[misc]
                delete_outlet(self.reg, outlet, brand)
        except UserError as exc:
            QMessageBox.warning(self, "无法删除", exc.message)
            return
        self.data_changed()

    def show_page(self, name: str) -> None:
        if name in self._stale:  # refreshed when next seen, not on every change elsewhere
            self._stale.discard(name)
            self._refresh_page(name)
        self.pages.setCurrentIndex(PAGES.index(name))
        self._mark_nav(name)
        self.statusBar().showMessage(PAGE_TITLES[name])

    def record_meeting(self) -> None:
        """The meeting dialog from the menu; its sentence confirms the save on the 组织生活 page."""
        dialog = MeetingDialog(self.reg, self)
        if dialog.exec():
            self.show_page("org_life")
            self.org_life.after_save(dialog.saved_message, dialog.meeting_id)

    def open_figure(self, key: str) -> None:
        """A dashboard figure clicked: the roster shows exactly the people it counts (a branch's items: their page)."""
        if key.startswith("page:"):
            self.show_page(key.split(":", 1)[1])
            return
        self.roster.show_figure(figure_label(key), figure_filter(self.reg, key))
        self.tree.setCurrentItem(self.tree.topLevelItem(0))  # the figures count the whole unit
        self.show_page("roster")

    def focus_search(self) -> None:
        self.show_page("roster")
        self.roster.search.setFocus()
        self.roster.search.selectAll()

    def _delete(self) -> None:
        if self.pages.currentWidget() is self.roster:
            self.roster.delete()
        elif self.pages.currentWidget() is self.development:
            self.development.delete_entry()  # the timeline's entry in view, after asking

    def reports(self) -> None:
        from ui.dialogs.report_dialog import ReportDialog  # reportlab and QtPdf load when first needed

        pid = self.roster.selected_id() if self.pages.currentWidget() is self.roster else None
        ReportDialog(self.reg, self, initial_filter=self.roster.current_filter(), person_id=pid).exec()

    def export(self) -> None:
        ExportDialog(self.reg, self.roster.current_filter(), self).exec()

    def open_database(self) -> None:
        path = database_file(self, "打开数据库", str(self.reg.path.parent))
        if path:
            self.switch_to(Path(path))

    def new_database(self) -> None:
        path = database_file(self, "新建数据库", str(self.reg.path.parent / "新台账.db"), save=True)
        if not path:
            return
        if Path(path).exists():
            QMessageBox.warning(self, "新建数据库", "这个文件已经存在；如要使用它，请用“打开数据库”。")
            return
        self.switch_to(Path(path), create=True)

    def switch_to(self, path: Path, create: bool = False) -> None:
        """Open another database in a fresh window and close this one; on failure this window stays as it is."""
        if not create and file_key(path) == file_key(self.reg.path):
            self.bring_forward()
            return
        try:
            reg, lock = open_for_window(path, create=create)
        except UserError as exc:
            show_error(self, exc, "无法打开数据库")
            return
        try:
            window = MainWindow(reg, lock)
        except Exception as exc:  # e.g. a damaged page met while filling the window
            reg.close()
            lock.release()
            show_error(self, exc, "无法打开数据库")
            return
        remember_database(path)  # only a database that opened and showed is ever remembered
        _windows.append(window)
        window.show()
        self.close()

    def bring_forward(self) -> None:
        """Another start asked for this database: show this window instead."""
        if self.isMinimized():
            self.showNormal()
        self.show()
        self.raise_()
        self.activateWindow()

    def backup(self) -> None:
        # Documents, not the data folder: a file dialog reading the live database's folder broke it once.
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        default = Path(folder) / f"{self.reg.path.stem}-备份-{date.today():%Y%m%d}.db"
        path = database_file(self, "备份数据库", str(default), save=True)
        if not path:
            return
        out = Path(path) if Path(path).suffix else Path(f"{path}.db")
        # force: the save dialog has already asked before replacing an existing file
        run_in_background(self, lambda _p, _c: own_connection(self.reg, backup_to, out, force=True),
                          lambda n: QMessageBox.information(
                              self, "备份完成", f"已备份到 {out}（{n}人）。\n可以再备份一份到U盘，放在这台电脑以外的地方。"),
                          title="正在备份", cancellable=False)

    def restore_backup(self) -> None:
        """文件→从备份恢复…: on success the window reopens on the restored database."""
        from ui.dialogs.restore_dialog import RestoreDialog

        if RestoreDialog(self.reg.path, self, operator=self.reg.operator).exec():
            self.reopen()

    def reopen(self) -> None:
        """The same database in a fresh window (after a restore every page, count and index is read anew)."""
        path = self.reg.path
        if self.lock is not None:
            self.lock.release()  # the new window takes the one-window lock over
            self.lock = None
        try:
            reg, lock = open_for_window(path)
            window = MainWindow(reg, lock)
        except Exception as exc:
            show_error(self, exc, "无法重新打开数据库")
            self.lock = DatabaseLock(path)
            if not self.lock.acquire():
                self.lock = None
            return
        _windows.append(window)
        window.show()
        self.close()
        self.reg.close()

    def daily_backup(self) -> None:
        """Once a day on first open (called at start-up): a checked copy in backups/, off the GUI thread."""
        path = self.reg.path
        run_in_background(self, lambda _p, _c: daily_backup(path),
                          lambda info: info and self.statusBar().showMessage(f"已自动备份：{info.path.name}", 8000),
                          lambda exc: self.statusBar().showMessage(f"今天的自动备份没有完成：{user_message(exc, path)}", 15000),
                          title="正在自动备份", cancellable=False)

    def show_data_folder(self) -> None:
        QDesktopServices.openUrl(QUrl.fromLocalFile(str(self.reg.path.parent)))
        QMessageBox.information(self, "数据存放位置", f"数据库文件：{self.reg.path}\n自动备份：{backup_dir(self.reg.path)}\n"
                                "请不要直接复制数据库文件（使用中复制的文件可能不完整）；要把数据存到U盘，"
                                "请用“文件→备份数据库…”。")

    # Tree ------------------------------------------------------------------------------------------
    def _fill_tree(self) -> None:
        """Organisations and outlets with the people each click shows; outlets without an organisation apart."""
        self.tree.clear()
        found = org_tree(self.reg)
        everyone = self._tree_item("全部人员", found["total"], ("all", None), "本单位全部人员")
        self.tree.addTopLevelItem(everyone)
        items: dict[int, QTreeWidgetItem] = {}
        for org in found["orgs"]:
            item = self._tree_item(org["name"], org["people"], ("org", org["id"]), org["name"])
            parent = items.get(org["parent_id"])
            (parent.addChild(item) if parent else self.tree.addTopLevelItem(item))
            items[org["id"]] = item
        loose_info = found["loose"]
        loose = self._tree_item(f"未建党组织的网点（{loose_info['outlets']}个）", loose_info["people"], ("loose", None),
                                f"{loose_info['outlets']}个网点还没有建立党组织，共{loose_info['people']}人；"
                                "点击查看这些网点的人员")
        loose.setData(0, OUTLET_IDS, loose_info["ids"])
        for outlet in found["outlets"]:
            name = f"{outlet['name']}（{outlet['brand'] or '未注明品牌'}）"
            item = self._tree_item(name, outlet["people"], ("outlet", (outlet["name"], outlet["brand"])), name)
            item.setData(0, OUTLET_IDS, [outlet["id"]])
            (items.get(outlet["organization_id"]) or loose).addChild(item)
        if loose.childCount():
            self.tree.addTopLevelItem(loose)
        self.tree.expandToDepth(0)

    @staticmethod
    def _tree_item(text: str, people: int, data: tuple[str, object], tip: str) -> QTreeWidgetItem:
        item = QTreeWidgetItem([text, str(people)])
        item.setData(0, Qt.ItemDataRole.UserRole, data)
        item.setToolTip(0, f"{tip}\n{people}人")
        item.setToolTip(1, f"{people}人")
        item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        return item

    def _tree_clicked(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if not data:
            return
        kind, value = data
        if self.pages.currentWidget() is self.org_life and kind in ("all", "org"):  # the page keeps its own scope
            self.org_life.set_scope(value if kind == "org" else None, item.text(0) if kind == "org" else "")
            return
        if kind == "all":
            self.roster.set_scope()
        elif kind == "org":
            self.roster.set_scope(org_ids=subtree_ids(self.reg, value), title=item.text(0))
        else:  # an outlet, or every outlet without an organisation
            self.roster.set_scope(outlet_ids=list(item.data(0, OUTLET_IDS)), title=item.text(0))
        self.show_page("roster")

    # Data changed anywhere -------------------------------------------------------------------------
    def data_changed(self) -> None:
        """Refresh the tree and the page in view; the other pages catch up when shown."""
        self._fill_tree()
        self.importer.check_batch()  # its batch may just have been undone on the history page
        current = PAGES[self.pages.currentIndex()]
        self._stale = {"dashboard", "roster", "development", "history", "org_life", "dues", "volunteer",
                       "care"} - {current}
        if self.sender() is not self.roster or current != "roster":
            self._refresh_page(current)

    def _refresh_page(self, name: str) -> None:
        if name == "dashboard":
            self.dashboard.refresh()
        elif name == "roster":
            self.roster.apply_filter()
        elif name == "history":
            self.history.refresh()
        elif name == "development":
            self.development.refresh()
        elif name == "org_life":
            self.org_life.refresh()
        elif name == "dues":
            self.dues.refresh()
        elif name == "volunteer":
            self.volunteer.refresh()
        elif name == "care":
            self.care.refresh()

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if any(u.toLocalFile().lower().endswith(IMPORTABLE) for u in event.mimeData().urls()):
            event.acceptProposedAction()

    def dropEvent(self, event: QDropEvent) -> None:
        files = [Path(u.toLocalFile()) for u in event.mimeData().urls() if u.toLocalFile().lower().endswith(IMPORTABLE)]
        if files:
            self.show_page("import")
            self.importer.add_files(files)

    def closeEvent(self, event: object) -> None:
        QSettings().setValue("window/geometry", self.saveGeometry())
        super().closeEvent(event)  # type: ignore[arg-type]
        if self.lock is not None:
            # The WAL goes back into the .db file and is emptied: what the user copies is complete. While an
            # import is still writing, a TRUNCATE would wait for it with the window frozen: PASSIVE then.
            self.reg.checkpoint("PASSIVE" if busy() else "TRUNCATE")
            self.lock.release()
            self.lock = None
        if self in _windows:
            _windows.remove(self)


_windows: list[MainWindow] = []  # windows opened by switching databases, kept alive here


def recent_databases() -> list[str]:
    value = QSettings().value("recent_dbs") or []
    paths = [value] if isinstance(value, str) else list(value)
    return [p for p in paths if Path(p).exists()][:8]


def open_for_window(path: Path, create: bool = False) -> tuple[Registry, DatabaseLock]:
    """The database for a window, with its one-window lock; DatabaseInUse if another window has it."""
    lock = DatabaseLock(path)
    if not lock.acquire():
        raise lock.refusal()
    try:
        return Registry(path, create=create), lock
    except BaseException:
        lock.release()
        raise


def remember_database(path: Path) -> None:
    settings = QSettings()
    settings.setValue("last_db", str(path))
    settings.setValue("recent_dbs", [str(path), *[p for p in recent_databases() if p != str(path)]][:8])


def page_widget(window: MainWindow, name: str) -> QWidget:
    return window.pages.widget(PAGES.index(name))
