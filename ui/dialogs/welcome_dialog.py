"""First run: create this unit's registry in the user's data folder, or look around in demo data first."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from ui.fit import fit_dialog


class WelcomeDialog(QDialog):
    """choice is 'new' (with unit and secretary) or 'demo' after exec()."""

    def __init__(self, data_folder: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("欢迎使用快递行业党建台账")
        self.choice = ""
        intro = QLabel("第一次使用，请填写本单位名称，程序会在本机建立台账数据库；"
                       f"数据只保存在这台电脑上（{data_folder}）。\n也可以先打开演示数据看看（演示数据单独保存，不会混入正式台账）。")
        intro.setWordWrap(True)
        self.unit = QLineEdit()
        self.unit.setPlaceholderText("如：某某街道快递物流行业党委")
        self.secretary = QLineEdit()
        form = QFormLayout()
        form.addRow("本单位（党组织）名称", self.unit)
        form.addRow("书记 / 填报人", self.secretary)
        self.error = QLabel()
        self.error.setStyleSheet("color: #c62828;")
        create = QPushButton("建立本单位台账")
        create.setDefault(True)
        create.clicked.connect(self._create)
        demo = QPushButton("先看演示数据")
        demo.clicked.connect(self._demo)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(demo)
        buttons.addWidget(create)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.error)
        layout.addLayout(buttons)
        fit_dialog(self, (560, 240))

    def _create(self) -> None:
        if not self.unit.text().strip():
            self.error.setText("请填写本单位名称，它会印在花名册和月报上。")
            return
        self.choice = "new"
        self.accept()

    def _demo(self) -> None:
        self.choice = "demo"
        self.accept()
