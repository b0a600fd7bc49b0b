"""No English reaches a command-line user: every --help (found from the parser) and the usual usage errors."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from registry.cli.chinese_argparse import ChineseArgumentParser, all_parsers, invoked_as, wrap
from registry.cli.main import build_parser, main

# Latin words a Chinese user reads every day: formats, brands and abbreviations of the trade.
ALLOWED = {"ID", "PDF", "Excel", "CSV", "WPS", "XLSX", "XLS", "JSON", "EMS", "SF", "JD", "SQLite",
           "LibreOffice", "xlsx", "xlsm", "xls", "ods", "csv", "db", "pdf", "json", "png", "U", "A4", "KB", "MB", "GB", "TB", "SHA"}
_PATH = re.compile(r"(?:[A-Za-z]:)?(?:[\\/][^\s\\/“”（）()，。；：]+)+[\\/]?|\S+\.(?:db|xlsx|xls|csv|pdf|png|json)\b")
_OPTION = re.compile(r"(?<![A-Za-z0-9])--?[A-Za-z][A-Za-z0-9_-]*")
_WORD = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_ID_NUMBER = re.compile(r"(?<![0-9A-Za-z])\d[\d*]{16}[\dXx](?![0-9A-Za-z])")  # 510104********253X: data


def latin_words(text: str, allowed: Iterable[str] = ()) -> list[str]:
    """The Latin words of a text a user reads, leaving out paths, --options and the allowed words."""
    keep = ALLOWED | set(allowed)
    text = _ID_NUMBER.sub(" ", _OPTION.sub(" ", _PATH.sub(" ", text)))
    return [w for w in _WORD.findall(text) if w not in keep]


def test_the_checker_finds_english_and_spares_paths_options_and_formats() -> None:
    assert latin_words("usage: registry [-h]") == ["usage", "registry"]
    assert latin_words("Look in:") == ["Look", "in"]
    assert latin_words("保存到 /tmp/pytest-1/a.db 和 C:\\Users\\李\\台账.db，用 --help 查看；导出Excel、PDF") == []
    assert latin_words("2026年12月1日 07:26 共3人，身份证号510104********253X、11010519491231002X") == []
    assert latin_words("file is not a database") == ["file", "is", "not", "a", "database"]


def _vocabulary(parser: argparse.ArgumentParser) -> set[str]:
    """What a user types: the program's name, command names and choice values (they are the commands)."""
    words = {"registry", "python", "m", "dangjian", "undo", "batches"}  # import undo 批次号, import batches
    for each in all_parsers(parser):
        words.update(each.prog.split())
        for action in each._actions:
            for choice in action.choices or ():
                words.update(_WORD.findall(str(choice)))
    return words


def _helps(parser: argparse.ArgumentParser) -> Iterator[tuple[str, str]]:
    for each in all_parsers(parser):
        yield each.prog, each.format_help()


def test_every_help_is_chinese() -> None:
    parser = build_parser()
    allowed = _vocabulary(parser)
    helps = dict(_helps(parser))
    assert len(helps) > 40  # every sub-command and sub-sub-command was found, not just the top
    found = {prog: words for prog, text in helps.items() if (words := latin_words(text, allowed))}
    assert found == {}


def test_every_option_says_what_it_is_for() -> None:
    missing = [f"{each.prog} {'/'.join(a.option_strings) or a.dest}"
               for each in all_parsers(build_parser()) for a in each._actions
               if not a.help and not isinstance(a, argparse._SubParsersAction)]
    assert missing == []


def test_every_latin_choice_is_explained_in_chinese() -> None:
    """--order stroke, --entity people: a value a user must type in Latin says in the help what it means."""
    unexplained = [f"{each.prog} {'/'.join(a.option_strings)} {c}"
                   for each in all_parsers(build_parser()) for a in each._actions
                   if a.choices and not isinstance(a, argparse._SubParsersAction)
                   for c in map(str, a.choices) if c.isascii() and not re.search(rf"{re.escape(c)} \S*[^\x00-\x7f]",
                                                                              a.help or "")]
    assert unexplained == []


def test_help_headings_are_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["volunteer", "add", "--help"])
    out = capsys.readouterr().out
    assert exc.value.code == 0
    assert out.startswith("用法：python -m registry volunteer add")
    assert "位置参数" in out and "选项" in out and "显示本帮助并退出" in out
    assert not {"usage", "options", "positional", "arguments", "show"} & set(_WORD.findall(out))


@pytest.mark.parametrize(("argv", "said"), [
    (["volunteer", "add"], "缺少必需的参数"),  # a missing argument
    (["people", "--order", "笔画"], "只能取"),  # a bad choice
    (["volunteer", "add", "1", "--post", "岗", "--date", "2026-01-01", "--hours", "三"], "需要数字"),  # a bad number
    (["demo", "--people", "很多"], "需要整数"),
    (["people", "--no-such-option"], "无法识别的参数"),  # an unknown option
    (["peple"], "只能取"),  # an unknown command
    (["volunteer", "add", "1", "--hours"], "后面需要跟一个值"),  # an option without its value
    (["people", "--flowing", "--registered"], "不能与参数"),
    ([], "缺少必需的参数"),
])
def test_usage_errors_are_one_chinese_sentence(capsys: pytest.CaptureFixture[str], argv: list[str],
                                                said: str) -> None:
    with pytest.raises(SystemExit) as exc:
        main(argv)
    err = capsys.readouterr().err
    assert exc.value.code == 2
    assert err.startswith("命令用法有误：") and said in err and "--help”查看用法。" in err
    assert err.count("\n") == 1 and "Traceback" not in err
    assert latin_words(err, _vocabulary(build_parser()) | set(argv)) == []  # what the user typed may return


def test_main_py_speaks_chinese_too() -> None:
    import subprocess

    root = Path(__file__).resolve().parents[1]
    done = subprocess.run([sys.executable, str(root / "main.py"), "--help"], capture_output=True, text=True,
                          encoding="utf-8", env={"PYTHONIOENCODING": "utf-8", "QT_QPA_PLATFORM": "offscreen",
                                                 "PATH": ""}, cwd=root, timeout=60)
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("用法：")
    # what a user types: the script's name, the screen names and 宽x高 (the options are left out already)
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from ui.screens import screens

    typed = {"main", "py", "x"} | {part for name in screens() for part in name.split("-")}
    assert latin_words(done.stdout, typed) == []


def test_the_message_table_covers_this_python() -> None:
    """Every message id argparse of this Python puts through gettext has a Chinese line."""
    import argparse as module
    import ast
    import inspect

    from registry.cli.chinese_argparse import MESSAGES

    texts = {arg.value for node in ast.walk(ast.parse(inspect.getsource(module)))
             if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in ("_", "ngettext")
             for arg in node.args if isinstance(arg, ast.Constant) and isinstance(arg.value, str)}
    assert "the following arguments are required: %s" in texts
    # messages only a programming mistake shows (never a user of a finished parser)
    for_programmers = {".__call__() not defined", "cannot have multiple subparser arguments",
                       "conflicting subparser: %s", "conflicting subparser alias: %s",
                       "cannot merge actions - two groups are named %r", "'required' is an invalid argument for positionals",
                       "dest= is required for options like %r", "invalid conflict_resolution value: %r",
                       "mutually exclusive arguments must be optional", "%r is not callable",
                       "invalid option string %(option)r: must start with a character %(prefix_chars)r",
                       'argument "-" with mode %r', "conflicting option string: %s",
                       "conflicting option strings: %s"}
    assert sorted(texts - set(MESSAGES) - for_programmers) == []


def test_chinese_lines_wrap_by_columns() -> None:
    lines = wrap("显示完整身份证号（默认打码；显示会记入操作日志）用 --show-id 打开", 20)
    assert all(sum(2 if ord(c) > 0x2E80 else 1 for c in line) <= 20 for line in lines)
    assert "".join(lines).replace(" ", "") == "显示完整身份证号（默认打码；显示会记入操作日志）用--show-id打开"
    assert any("--show-id" in line for line in lines)  # a Latin word is never cut in two
    assert not any(line[0] in "、，。；）" for line in wrap("只看某类记录：备份、品牌、导出、导入批次、表头对应关系", 12))


def test_an_unknown_option_points_at_the_sub_commands_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["org", "list", "--no-such-option"])
    assert "“python -m registry org list --help”" in capsys.readouterr().err


def test_the_hint_names_the_program_as_it_was_started() -> None:
    assert invoked_as("/usr/bin/dangjian", frozen=False) == "dangjian"
    assert invoked_as("C:\\程序\\dangjian-cli.exe", frozen=False) == "dangjian-cli"
    assert invoked_as("x", frozen=True, executable="C:\\台账\\dangjian-cli.exe") == "dangjian-cli"
    assert invoked_as("/repo/registry/__main__.py", frozen=False) == "python -m registry"


def test_parser_class_is_the_chinese_one() -> None:
    assert all(isinstance(p, ChineseArgumentParser) for p in all_parsers(build_parser()))


ISO_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}")


def test_what_the_commands_print_is_chinese(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The read commands on a demo database: no English, no ISO times (--json aside, which is for programs)."""
    db = tmp_path / "演示.db"
    assert main(["--db", str(db), "--operator", "测试员", "demo", "--people", "60"]) == 0
    capsys.readouterr()
    allowed = _vocabulary(build_parser())
    commands = [["people"], ["stats"], ["due"], ["org", "list"], ["outlet", "list"], ["transfer", "list"],
                ["report", "archive"], ["history", "--limit", "50"], ["backups"], ["import", "batches"]]
    found = {}
    for command in commands:
        code = main(["--db", str(db), "--operator", "测试员", *command])
        out = capsys.readouterr()
        text = (out.out + out.err).replace(str(tmp_path), "")
        words = latin_words(text, allowed)
        if code != 0 or words or ISO_TIME.search(text):
            found[" ".join(command)] = (code, words, ISO_TIME.findall(text)[:3])
    assert found == {}
