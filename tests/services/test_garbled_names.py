"""Names mangled on their way in (乱码: control characters, U+FFFD, undecodable bytes, "?") are refused, not stored."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from registry.cli.main import main
from registry.errors import UserError
from registry.rules.text import garbled_message, looks_garbled
from registry.services.history import history
from registry.services.organizations import add_org, edit_org, list_orgs
from registry.services.outlets import add_outlet, edit_outlet, list_outlets
from registry.services.people import add_person, edit_person, get_person
from registry.storage.database import Registry
from tests.conftest import ID_MAN_1985, ID_WOMAN_1992

ROOT = Path(__file__).resolve().parents[2]
MANGLED = [
    "张\ufffd",  # bytes a decoder could not read
    "\udcd5\udcc5\udcc8\udcfd",  # 张三 in GBK read as UTF-8 on Linux: Python keeps the bytes as surrogates
    "示例?党委",  # a character the Windows code page lacks
    "城南\x1b[0m支部",  # a terminal escape
    "沙河\x00网点",
    "张三\x7f",
]
READABLE = ["张三", "买买提·艾力", "John Smith", "DHL Express", "f5 lv", "O'Brien", "SF-Express 2号网点",
            "示例区快递行业党委（筹）", "张　三", " 张三\t", "张三\r\n", "欧阳·娜娜", "𠮷野家网点"]


@pytest.mark.parametrize("text", MANGLED)
def test_mangled_text_looks_garbled(text: str) -> None:
    assert looks_garbled(text)
    said = garbled_message("姓名", text)
    assert "乱码" in said and "重新输入" in said and "编码" in said
    said.encode("utf-8")  # no surrogate carried into the sentence: it prints anywhere


@pytest.mark.parametrize("text", READABLE)
def test_names_people_really_have_are_not_garbled(text: str) -> None:
    assert not looks_garbled(text)


@pytest.mark.parametrize("text", MANGLED)
def test_services_refuse_mangled_names_and_store_nothing(branch: Registry, text: str) -> None:
    before = len(history(branch, limit=None))
    for call in (lambda: add_person(branch, name=text, id_number=ID_MAN_1985),
                 lambda: add_org(branch, name=text, type="党支部"),
                 lambda: add_org(branch, name="城北党支部", type="党支部", secretary=text),
                 lambda: add_outlet(branch, name=text, brand="中通快递")):
        with pytest.raises(UserError, match="乱码"):
            call()
    assert len(history(branch, limit=None)) == before
    assert branch.scalar("SELECT count(*) FROM people") == 0
    assert [o["name"] for o in list_orgs(branch)] == ["示例区快递行业党委", "城南快递联合党支部", "流动党员党支部"]
    assert len(list_outlets(branch)) == 2


def test_edits_refuse_mangled_names(branch: Registry) -> None:
    add_person(branch, name="张三", id_number=ID_MAN_1985)
    with pytest.raises(UserError, match="姓名.*乱码"):
        edit_person(branch, ID_MAN_1985, name="张\ufffd")
    with pytest.raises(UserError, match="党组织名称.*乱码"):
        edit_org(branch, "城南快递联合党支部", name="城南?支部")
    with pytest.raises(UserError, match="网点名称.*乱码"):
        edit_outlet(branch, "沙河网点", None, name="沙河\x01网点")
    assert get_person(branch, ID_MAN_1985)["name"] == "张三"
    assert {o["name"] for o in list_outlets(branch)} == {"沙河网点", "春熙路网点"}


def test_readable_latin_names_are_stored(branch: Registry) -> None:
    add_org(branch, name="DHL Express 党支部", type="党支部")
    add_outlet(branch, name="f5 lv", brand="顺丰速运")
    add_person(branch, name="O'Brien", id_number=ID_WOMAN_1992)
    assert get_person(branch, ID_WOMAN_1992)["name"] == "O'Brien"


def test_the_cli_refuses_a_mangled_unit_before_making_the_database(tmp_path: Path,
                                                                    capsys: pytest.CaptureFixture[str]) -> None:
    db = tmp_path / "新.db"
    assert main(["--db", str(db), "init", "--unit", "示例\ufffd党委"]) == 2
    err = capsys.readouterr().err
    assert "本单位名称" in err and "乱码" in err and err.count("\n") == 1
    assert not db.exists()
    assert main(["--db", str(db), "init", "--unit", "示例区快递行业党委"]) == 0
    for args in (["org", "add", "--name", "城南\x1b支部", "--type", "党支部"],
                 ["outlet", "add", "--name", "沙河?网点"],
                 ["person", "add", "--name", "\udcd5\udcc5", "--id-number", ID_MAN_1985]):
        assert main(["--db", str(db), *args]) == 2
        err = capsys.readouterr().err
        assert "乱码" in err and "Traceback" not in err and "内部错误" not in err
    assert main(["--db", str(db), "--operator", "王\ufffd", "org", "add", "--name", "城北党支部"]) == 2
    assert "操作人" in capsys.readouterr().err
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM people") + reg.scalar("SELECT count(*) FROM outlets") == 0
        assert reg.scalar("SELECT count(*) FROM organizations") == 0


@pytest.mark.skipif(os.name == "nt", reason="Windows hands Python its command line as Unicode; bytes cannot arrive")
def test_gbk_bytes_typed_in_a_utf8_terminal(tmp_path: Path) -> None:
    # A GBK terminal (an old UOS or Kylin set-up) passing 张三 to a UTF-8 Python: the real way 乱码 arrives.
    db = tmp_path / "t.db"
    env = {**os.environ, "DANGJIAN_DATA_DIR": str(tmp_path), "LC_ALL": "C.UTF-8", "PYTHONIOENCODING": "utf-8"}
    run = [sys.executable, "-m", "registry", "--db", str(db)]
    assert subprocess.run([*run, "init"], cwd=ROOT, env=env, capture_output=True).returncode == 0
    done = subprocess.run([*run, "person", "add", "--name", "张三".encode("gbk"), "--id-number", ID_MAN_1985],
                          cwd=ROOT, env=env, capture_output=True)
    said = done.stderr.decode("utf-8")
    assert done.returncode == 2 and "乱码" in said and "内部错误" not in said
    with Registry(db) as reg:
        assert reg.scalar("SELECT count(*) FROM people") == 0
