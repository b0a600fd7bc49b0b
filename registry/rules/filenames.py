"""Windows' rules for the names of files the user asks us to write, checked on every platform.

A roster or report saved on a Linux machine is opened on the secretaries' Windows PCs, so a name Windows
refuses (or silently changes) is refused everywhere, with one sentence naming the problem.
"""

from __future__ import annotations

import ntpath
import os
import re
from pathlib import PurePath, PureWindowsPath

# Device names: CON.xlsx is the console, not a file, whatever the extension (Windows 11 still refuses most).
# The superscript digits ¹²³ count too.
RESERVED = frozenset({"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$",
                      *(f"{dev}{n}" for dev in ("COM", "LPT") for n in "123456789¹²³")})
_FORBIDDEN = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
# MAX_PATH is 260 including the terminating NUL: Explorer, Excel and WPS open nothing longer.
MAX_PATH = 259


def _shown(chars: str) -> str:
    return "、".join(f"控制字符U+{ord(c):04X}" if c < " " else c for c in dict.fromkeys(chars))


def filename_problem(path: str | PurePath, *, windows: bool | None = None) -> str | None:
    """The sentence saying why Windows cannot have this file name, or None when it can.

    The name part is always checked; the total length only on Windows (`windows` defaults to whether we
    run there, and also makes the path read as a Windows one), where the absolute path is what counts.
    """
    if windows is None:
        windows = os.name == "nt"
    text = os.fspath(path)
    name = (PureWindowsPath(text) if windows else PurePath(text)).name
    if not name:
        return None  # a folder or nothing: the caller's own checks say what is missing
    bad = "".join(_FORBIDDEN.findall(name))
    if bad:
        shown = re.sub("[\x00-\x1f]", "□", name)  # a control character would not print
        return f"文件名“{shown}”中有Windows不允许的字符（{_shown(bad)}），请去掉这些字符后重试。"
    if name != name.rstrip(". "):
        return f"文件名“{name}”以点或空格结尾，Windows会把末尾的点和空格去掉，保存的就不是这个文件；请删去它们后重试。"
    device = name.split(".")[0].rstrip(" ").upper()
    if device in RESERVED:
        return (f"文件名“{name}”不能使用：{device}是Windows保留的设备名，这样命名的文件在Windows上无法打开；"
                "请换一个文件名，如“花名册.xlsx”。")
    if windows:
        full = ntpath.abspath(text)  # Windows' own path rules, also when a test asks for them elsewhere
        if len(full) > MAX_PATH:
            return (f"保存位置的完整路径有{len(full)}个字符，超过了Windows允许的{MAX_PATH}个字符，Excel和WPS打不开；"
                    "请换一个层级较浅的文件夹（如“文档”）或缩短文件名。")
    return None
