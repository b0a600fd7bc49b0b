"""文件→从备份恢复…: the backups with what they hold (or another file), a confirmation, then the restore."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from registry.services.backups import BackupInfo, backup_dir, list_backups, newest_good_backup
from registry.services.restore import RestoreResult, inspect_backup, restore
from ui.file_dialogs import database_file
from ui.fit import fit_dialog
from ui.worker import run_in_background

COLUMNS = ("备份时间", "原因", "人数", "最后修改", "大小")


def size_text(size: int) -> str:
    return f"{size / 1048576:.1f} MB" if size >= 1048576 else f"{max(1, round(size / 1024))} KB"


def describe(info: BackupInfo) -> str:
    return (f"备份时间：{info.at_text}（{info.reason}）\n人数：{info.people}\n"
            f"最后一次修改：{info.last_change_text}\n文件：{info.path}")


class RestoreDialog(QDialog):
    """Choose a backup and restore it over db_path; accepted once the restore is done (outcome is then set).

    With damaged (the sentence saying why the database did not open), it serves the start-up case: the
    newest good backup is preselected and nothing of the damaged database is read.
    """

    def __init__(self, db_path: Path, parent: QWidget | None = None, *, damaged: str | None = None,
                 operator: str | None = None) -> None:
        super().__init__(parent)
        self.db_path = Path(db_path)
        self.operator = operator
        self.outcome: RestoreResult | None = None
        self.setWindowTitle("从备份恢复")
        layout = QVBoxLayout(self)
        intro = (f"{damaged}\n\n可以用下面的一个备份恢复（损坏的文件会改名保留）：" if damaged
                 else "选择要恢复的备份。恢复前，当前数据会先另存为一个备份（原因“恢复前”）。")
        self.intro = QLabel(intro)
        self.intro.setWordWrap(True)
        layout.addWidget(self.intro)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.table.doubleClicked.connect(lambda _i: self.restore_selected())
        layout.addWidget(self.table)
        self.where = QLabel(f"自动备份存放在：{backup_dir(self.db_path)}")
        self.where.setWordWrap(True)
        layout.addWidget(self.where)
        buttons = QDialogButtonBox()
        self.restore_button = buttons.addButton("恢复", QDialogButtonBox.ButtonRole.AcceptRole)
        self.other_button = QPushButton("选择其他备份文件…")
        buttons.addButton(self.other_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.addButton("取消", QDialogButtonBox.ButtonRole.RejectRole)
        self.restore_button.clicked.connect(self.restore_selected)
        self.other_button.clicked.connect(self.choose_other)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        fit_dialog(self, (640, 0))
        self.backups = list_backups(self.db_path)
        self._fill(newest_good_backup(self.db_path) if damaged else None)

    def _fill(self, preferred: BackupInfo | None) -> None:
        self.table.setRowCount(len(self.backups))
        chosen = -1
        for row, info in enumerate(self.backups):
            cells = (info.at_text, info.reason, str(info.people) if info.readable else "无法读取",
                     info.last_change_text, size_text(info.size))
            for col, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(Qt.ItemDataRole.UserRole, str(info.path))
                if not info.readable:
                    item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsEnabled & ~Qt.ItemFlag.ItemIsSelectable)
                self.table.setItem(row, col, item)
            if chosen < 0 and info.readable and (preferred is None or info.path == preferred.path):
                chosen = row
        if chosen >= 0:
            self.table.selectRow(chosen)
        self.restore_button.setEnabled(bool(self.backups))
        if not self.backups:
            self.intro.setText(self.intro.text() + "\n\n还没有自动备份；可以用“选择其他备份文件…”选一个备份。")

    def selected_path(self) -> Path | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return Path(self.table.item(rows[0].row(), 0).data(Qt.ItemDataRole.UserRole))

    def restore_selected(self) -> None:
        path = self.selected_path()
        if path is None:
            QMessageBox.information(self, "从备份恢复", "请先在列表中选中一个备份。")
            return
        self.restore_from(path)

    def choose_other(self) -> None:
        # Documents, not the data folder: a file dialog reading the live database's folder is what broke it once.
        folder = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation) or str(Path.home())
        name = database_file(self, "选择备份文件", folder)
        if name:
            self.restore_from(Path(name))

    def restore_from(self, path: Path) -> None:
        """Check the backup (off the GUI thread), show what it holds, ask, then restore."""
        run_in_background(self, lambda _p, _c: inspect_backup(path, self.db_path), self._confirm,
                          title="正在检查备份", cancellable=False)

    def _confirm(self, info: BackupInfo) -> None:
        question = (f"将用这个备份替换当前数据库“{self.db_path.name}”：\n\n{describe(info)}\n\n"
                    "当前数据会先另存为一个备份（原因“恢复前”），之后可以再换回来。确定要恢复吗？")
        if QMessageBox.question(self, "确认恢复", question) != QMessageBox.StandardButton.Yes:
            return
        run_in_background(self, lambda _p, _c: restore(self.db_path, info.path, operator=self.operator), self._done,
                          title="正在恢复", cancellable=False)

    def _done(self, result: RestoreResult) -> None:
        self.outcome = result
        lines = [f"已从备份恢复（{result.backup.people}人）。"]
        if result.kept is not None:
            lines.append(f"恢复前的数据已另存为：{result.kept.path}")
        if result.moved_aside:
            lines.append(f"损坏的数据库已改名保留为：{result.moved_aside[0]}")
        QMessageBox.information(self, "恢复完成", "\n".join(lines))
        self.accept()
