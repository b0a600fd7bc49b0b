"""One window per database: a lock file keyed by the database's path, and a local socket to call that window up."""

from __future__ import annotations

import hashlib
from pathlib import Path

from PySide6.QtCore import QLockFile, QObject, QStandardPaths, Signal
from PySide6.QtNetwork import QLocalServer, QLocalSocket

from registry.errors import UserError
from registry.storage.opening import file_key


class DatabaseInUse(UserError):
    """Another window (of this or another copy of the program) already has the database open."""


def in_use_message(path: Path, brought_forward: bool) -> str:
    where = "已把那个窗口切换到最前面" if brought_forward else "请切换到那个窗口继续工作"
    return f"数据库“{path.name}”已经在另一个台账窗口中打开，{where}；同一个数据库同时只能在一个窗口中打开。"


class DatabaseLock(QObject):
    """Held by the window that has a database open; `activated` fires when another start asks for it.

    QLockFile writes the owner's process id, so a lock left by a window that was killed (kill -9, power cut)
    is recognised as stale and taken over; the socket of such a window is removed before listening again.
    """

    activated = Signal()

    def __init__(self, db_path: Path, folder: Path | None = None) -> None:
        super().__init__()
        self.db_path = Path(db_path)
        digest = hashlib.sha256(file_key(self.db_path).encode("utf-8")).hexdigest()[:24]
        self.name = f"dangjian-taizhang-{digest}"
        if folder is None:
            folder = Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.TempLocation))
        self._lock = QLockFile(str(folder / f"{self.name}.lock"))
        self._lock.setStaleLockTime(0)  # never stale by age: only when its owner is gone
        self._server: QLocalServer | None = None

    def acquire(self) -> bool:
        """True if this process now owns the database; False if a live window does."""
        if not self._lock.tryLock(200):
            return False
        QLocalServer.removeServer(self.name)  # a socket left behind by a window that was killed
        server = QLocalServer(self)
        server.setSocketOptions(QLocalServer.SocketOption.UserAccessOption)
        server.newConnection.connect(self._knocked)
        server.listen(self.name)  # without it the lock still holds; only the calling-up is lost
        self._server = server
        return True

    def _knocked(self) -> None:
        server = self._server
        while server is not None and server.hasPendingConnections():
            socket = server.nextPendingConnection()
            socket.disconnected.connect(socket.deleteLater)
            socket.disconnectFromServer()
        self.activated.emit()

    def call_owner(self, timeout_ms: int = 1000) -> bool:
        """Ask the window that holds the lock to come forward; True if it could be reached."""
        socket = QLocalSocket()
        socket.connectToServer(self.name)
        if not socket.waitForConnected(timeout_ms):
            return False
        socket.write(b"raise\n")
        socket.waitForBytesWritten(timeout_ms)
        socket.disconnectFromServer()
        return True

    def release(self) -> None:
        if self._server is not None:
            self._server.close()
            self._server = None
        self._lock.unlock()

    def refusal(self) -> DatabaseInUse:
        """The error for a second start: the owner is called up first, so the sentence can say so."""
        return DatabaseInUse(in_use_message(self.db_path, self.call_owner()))
