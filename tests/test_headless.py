"""registry/ and every submodule import with PySide6 and ui/ blocked: the core stays headless."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

SCRIPT = r"""
import importlib, importlib.abc, pkgutil, sys

class Block(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name.split('.')[0] in ('PySide6', 'ui', 'shiboken6'):
            raise ImportError('blocked: ' + name)
        return None

sys.meta_path.insert(0, Block())
import registry
names = [m.name for m in pkgutil.walk_packages(registry.__path__, 'registry.') if not m.name.endswith('__main__')]
for name in names:
    importlib.import_module(name)
assert not any(m.split('.')[0] in ('PySide6', 'ui') for m in sys.modules)
print(len(names))
"""


def test_registry_imports_without_qt() -> None:
    p = subprocess.run([sys.executable, "-c", SCRIPT], capture_output=True, text=True, cwd=ROOT, timeout=120)
    assert p.returncode == 0, p.stderr
    assert int(p.stdout.strip()) >= 20
