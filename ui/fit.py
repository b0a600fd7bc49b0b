"""Windows that fit the screen: dialog sizes remembered per dialog, always clamped to the available area."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import QSettings, QSize, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QDialog, QFrame, QScrollArea, QWidget

# A window manager's title bar and frame sit outside a window's size; kept free so the bottom buttons stay on screen.
FRAME = QSize(16, 80)
_simulated: QSize | None = None


@contextmanager
def simulated_screen(available: QSize) -> Iterator[None]:
    """Windows opened inside size themselves for a screen of `available` logical pixels (screenshots, fit test)."""
    global _simulated
    before, _simulated = _simulated, QSize(available)
    try:
        yield
    finally:
        _simulated = before


def available_size(widget: QWidget | None = None) -> QSize:
    """The logical pixels a window may cover: the simulated screen, else the widget's (or the primary) screen."""
    if _simulated is not None:
        return QSize(_simulated)
    screen = widget.screen() if widget is not None else None
    screen = screen or QGuiApplication.primaryScreen()
    return screen.availableGeometry().size() if screen is not None else QSize(1024, 728)


def window_room(widget: QWidget | None = None) -> QSize:
    """The largest size a window's contents may take so that its frame, too, stays on the screen."""
    return (available_size(widget) - FRAME).expandedTo(QSize(200, 150))


def size_key(dialog: type[QWidget]) -> str:
    """Where the size a user gave this kind of dialog is kept (QSettings)."""
    return f"dialogs/{dialog.__name__}/size"


def fit_dialog(dialog: QDialog, default: tuple[int, int] | None = None) -> None:
    """Open at the size the user last left this kind of dialog at (else default, else its natural size), on screen.

    Call once the layout is built. The size is saved when the dialog closes, and restored clamped to the screen,
    so a size chosen on a large monitor never pushes the buttons off a laptop's screen.
    """
    saved = QSettings().value(size_key(type(dialog)))
    size = saved if isinstance(saved, QSize) and saved.isValid() else None
    if size is None:
        hint = dialog.sizeHint().expandedTo(dialog.minimumSizeHint())
        size = QSize(*default).expandedTo(hint) if default else hint
        if default and default[1] == 0:
            size.setHeight(hint.height())
    opened = size.boundedTo(window_room(dialog))
    dialog.resize(opened)
    if not dialog.property("fit_remembered"):
        dialog.setProperty("fit_remembered", True)
        dialog.finished.connect(lambda _result: _remember(dialog, opened))


def _remember(dialog: QDialog, opened: QSize) -> None:
    # Only a size the user chose is kept: one never touched follows the dialog's own default as it changes.
    # (Qt grows a dialog opened smaller than its layout allows when it is shown; that is not the user's choice.)
    if dialog.size() != opened.expandedTo(dialog.minimumSizeHint()):
        QSettings().setValue(size_key(type(dialog)), dialog.size())


class VerticalScroll(QScrollArea):
    """A frameless scroll area that scrolls up and down only, as wide as what it holds needs."""

    def minimumSizeHint(self) -> QSize:
        hint = super().minimumSizeHint()
        inner = self.widget()
        if inner is not None:
            hint.setWidth(inner.minimumSizeHint().width() + self.verticalScrollBar().sizeHint().width())
        return hint


def scrolling(inner: QWidget) -> QScrollArea:
    """inner in a vertical scroll area: a long form scrolls instead of pushing its buttons off the screen."""
    area = VerticalScroll()
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
    area.setWidget(inner)
    return area
