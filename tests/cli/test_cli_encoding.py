"""The command line redirected to a file or pipe on a code page without Chinese (an English Windows) still writes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry.cli.output import redirected_encoding

ROOT = Path(__file__).resolve().parents[2]
# What Python picks for a redirected stream on an English Windows (cp1252); ascii is the Linux equivalent.
NO_CHINESE = "cp1252" if os.name == "nt" else "ascii"


def cli(data: Path, encoding: str, *args: str) -> subprocess.CompletedProcess[bytes]:
    env = {**os.environ, "PYTHONIOENCODING": encoding, "DANGJIAN_DATA_DIR": str(data)}
    env.pop("PYTHONUTF8", None)
    return subprocess.run([sys.executable, "-m", "registry", "--db", str(data / "台账.db"), *args],
                          cwd=ROOT, env=env, capture_output=True, timeout=120)


def test_redirected_output_on_a_code_page_without_chinese_is_utf8(tmp_path: Path) -> None:
    init = cli(tmp_path, NO_CHINESE, "init", "--unit", "示例区快递行业党委")
    assert init.returncode == 0, init.stderr.decode("utf-8", "replace")
    assert cli(tmp_path, NO_CHINESE, "org", "add", "--name", "城南快递联合党支部", "--type", "联合党支部").returncode == 0
    listed = cli(tmp_path, NO_CHINESE, "org", "list", "--json")
    assert listed.returncode == 0 and listed.stderr == b""
    assert "城南快递联合党支部" in [o["name"] for o in json.loads(listed.stdout.decode("utf-8"))]
    refused = cli(tmp_path, NO_CHINESE, "person", "add", "--name", "张三", "--id-number", "510104198503154211")
    said = refused.stderr.decode("utf-8")
    assert refused.returncode == 2 and "校验" in said and "UnicodeEncodeError" not in said and "\\u" not in said


def test_a_chinese_code_page_is_kept() -> None:
    # cmd's `type` and PowerShell read a Chinese Windows' redirected output in its code page; GB18030 is GBK's superset.
    assert redirected_encoding("cp936") == redirected_encoding("gbk") == "gb18030"
    assert redirected_encoding("utf-8") == "utf-8" and redirected_encoding("gb18030") == "gb18030"
    assert redirected_encoding("cp1252") == redirected_encoding("ascii") == redirected_encoding("no-such") == "utf-8"


@pytest.mark.parametrize("encoding", ["gbk", "utf-8"])
def test_usage_errors_in_a_chinese_code_page(tmp_path: Path, encoding: str) -> None:
    done = cli(tmp_path, encoding, "people", "--no-such-flag")
    assert done.returncode == 2 and "命令用法有误" in done.stderr.decode(redirected_encoding(encoding))
