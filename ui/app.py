"""Application setup: Chinese translations for Qt's own dialogs, the bundled CJK font, the icon."""

from __future__ import annotations

import sys

from PySide6.QtCore import QLibraryInfo, QLocale, QTranslator
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication

from registry.paths import font_path, resources_dir

_translators: list[QTranslator] = []


# Qt's own words for the widgets this program uses (file dialog, message boxes, context menus, calendar):
# all in qtbase; qt_zh_CN is the umbrella catalogue that older Qt builds ship instead.
CATALOGUES = ("qtbase_zh_CN", "qt_zh_CN")


def install_translations(app: QApplication) -> list[QTranslator]:
    """Qt's dialogs and menus in Chinese: the Chinese locale before any widget exists, and Qt's catalogues.

    The locale makes QDateEdit, QCalendarWidget and number formats Chinese; the catalogues translate the words
    (确定, 取消, 撤消, 查找范围…). Strings the catalogues lack are set in ui/file_dialogs.py.
    """
    QLocale.setDefault(QLocale(QLocale.Language.Chinese, QLocale.Country.China))
    folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
    installed = []
    for name in CATALOGUES:
        translator = QTranslator(app)
        if translator.load(name, folder):
            app.installTranslator(translator)
            installed.append(translator)
    return installed


def create_app(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance() or QApplication(argv if argv is not None else sys.argv)
    assert isinstance(app, QApplication)
    app.setApplicationName("快递行业党建台账")
    app.setOrganizationName("DangjianTaizhang")
    if not _translators:
        _translators.extend(install_translations(app))
    app.setWindowIcon(QIcon(str(resources_dir() / "icons" / "app.png")))
    font_id = QFontDatabase.addApplicationFont(str(font_path()))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if families:
        font = QFont(families[0])
        font.setPointSize(10)
        app.setFont(font)
    return app
