"""The window's remembered settings (recent databases, last database, geometry) are per user: HKCU on Windows."""

from __future__ import annotations

import os
from typing import Any

from PySide6.QtCore import QLocale, QSettings

from ui import app as app_setup


def test_recent_files_are_kept_in_the_users_own_settings(qapp: Any) -> None:
    before = (qapp.applicationName(), qapp.organizationName(), QLocale(), qapp.font(), qapp.windowIcon())
    try:
        app = app_setup.create_app()
        # What QSettings() gives the window (ui/main_window.py recent_databases): the native format, user scope.
        where = QSettings(QSettings.Format.NativeFormat, QSettings.Scope.UserScope, app.organizationName(),
                          app.applicationName()).fileName()
    finally:  # the other tests keep the test application as it was
        qapp.setApplicationName(before[0])
        qapp.setOrganizationName(before[1])
        QLocale.setDefault(before[2])
        qapp.setFont(before[3])
        qapp.setWindowIcon(before[4])
        while app_setup._translators:
            qapp.removeTranslator(app_setup._translators.pop())
    if os.name == "nt":
        assert where.startswith("\\HKEY_CURRENT_USER\\Software\\DangjianTaizhang"), where
    else:
        assert where.startswith(os.path.expanduser("~")) and "DangjianTaizhang" in where, where
