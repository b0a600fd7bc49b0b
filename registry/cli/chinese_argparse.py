"""argparse in Chinese: usage, help and every usage error, for the command line and main.py.

argparse builds its words through gettext (`_()` / `ngettext()` looked up in its own module). While a
ChineseArgumentParser builds, parses or formats, those two names point at a table of argparse's message
ids (Python 3.11 to 3.14), so a message argparse composes (“the following arguments are required: …”)
comes out Chinese whole; an id missing from the table stays as argparse wrote it, and the no-English
test finds it.
"""

from __future__ import annotations

import argparse
import re
import sys
import unicodedata
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any, NoReturn, TypeVar

HELP_HINT = "--help"
INSTALLED_NAMES = ("dangjian", "dangjian-cli")  # the console script (pyproject) and the Windows build's CLI

# argparse's message ids, each as it reads in Chinese (named fields may change %r to %s: we quote ourselves).
MESSAGES: dict[str, str] = {
    "usage: ": "用法：",
    "positional arguments": "位置参数",
    "options": "选项",
    "optional arguments": "选项",  # Python ≤ 3.9
    "subcommands": "子命令",
    "%(heading)s:": "%(heading)s：",
    "show this help message and exit": "显示本帮助并退出",
    "show program's version number and exit": "显示版本号并退出",
    " (default: %(default)s)": "（默认：%(default)s）",
    "argument %(argument_name)s: %(message)s": "参数 %(argument_name)s %(message)s",
    "the following arguments are required: %s": "缺少必需的参数 %s",
    "one of the arguments %s is required": "必须给出参数 %s 中的一个",
    "not allowed with argument %s": "不能与参数 %s 同时使用",
    "unrecognized arguments: %s": "无法识别的参数 %s",
    "expected one argument": "后面需要跟一个值",
    "expected at most one argument": "后面最多只能跟一个值",
    "expected at least one argument": "后面至少需要跟一个值",
    "expected %s argument": "后面需要跟%s个值",
    "expected %s arguments": "后面需要跟%s个值",
    "ignored explicit argument %r": "不接受值，多余的“%s”",
    "invalid %(type)s value: %(value)r": "需要%(type)s，“%(value)s”不是%(type)s",
    "invalid choice: %(value)r (choose from %(choices)s)": "只能取 %(choices)s 之一，不能取“%(value)s”",
    "invalid choice: %(value)r, maybe you meant %(closest)r? (choose from %(choices)s)":
        "只能取 %(choices)s 之一，不能取“%(value)s”（是否想输入 %(closest)s？）",
    "unknown parser %(parser_name)r (choices: %(choices)s)": "没有“%(parser_name)s”这个命令（可用：%(choices)s）",
    "ambiguous option: %(option)s could match %(matches)s": "选项 %(option)s 不明确，可能是 %(matches)s 中的任一个",
    "ambiguous option: %(option)s could match %(matches)s\n": "选项 %(option)s 不明确，可能是 %(matches)s 中的任一个",
    "unexpected option string: %s": "无法识别的选项 %s",
    "can't open '%(filename)s': %(error)s": "无法打开文件“%(filename)s”（%(error)s）",
    "%(prog)s: error: %(message)s\n": "%(prog)s：错误：%(message)s\n",
    "%(prog)s: warning: %(message)s\n": "%(prog)s：提示：%(message)s\n",
    "option '%(option)s' is deprecated": "选项 %(option)s 已不再使用",
    "argument '%(argument_name)s' is deprecated": "参数 %(argument_name)s 已不再使用",
    "command '%(parser_name)s' is deprecated": "命令 %(parser_name)s 已不再使用",
}

# The names argparse puts into “invalid %(type)s value”: the type function's __name__.
TYPE_NAMES = {"int": "整数", "float": "数字", "Path": "路径", "str": "文字"}

# A value placeholder for an option or positional that names none, by its dest (argparse would print DEST).
METAVARS = {
    "db": "文件", "operator": "姓名", "unit": "名称", "category": "类别", "outlet": "网点", "brand": "品牌",
    "org": "党组织", "search": "文字", "people": "人数", "seed": "整数", "date": "日期", "limit": "条数",
    "name": "名称", "new_name": "新名称", "new_brand": "新品牌", "parent": "上级党组织", "to": "阶段",
    "contacts": "姓名", "introducers": "姓名", "months": "月数", "home_org": "党组织", "home_contact": "联系方式",
    "certificate_no": "编号", "from_org": "党组织", "to_org": "党组织", "arrived_on": "日期",
    "valid_until": "日期", "letter_no": "编号", "issued_on": "日期", "dues_paid_to": "年月", "transfer": "编号",
    "topic": "主题", "location": "地点", "attendees": "身份证号", "leave": "身份证号", "post": "岗位",
    "hours": "小时数", "points": "积分", "role": "角色", "destination": "地点", "contact": "联系方式",
    "month": "年-月", "period": "期", "out": "文件", "batch": "批次号", "changed_on": "日期",
    "managed_from": "日期", "backup": "备份文件", "key": "身份证号", "files": "文件",
    "secretary": "姓名", "phone": "号码", "founded_on": "日期", "notes": "文字", "address": "地址",
    "district": "区县", "street": "街道", "community": "社区", "workers": "人数", "organization": "党组织",
    "guidance_officer": "姓名", "type": "类型", "founding_mode": "方式", "kind": "类型", "entity": "类别",
    # main.py
    "screenshot": "图片", "page": "页面", "dialog": "对话框", "size": "宽x高", "scale": "倍数",
}

# What an option that says nothing about itself does, by its dest.
DEFAULT_HELP = {
    "json": "以JSON格式输出（供其他程序读取）",
    "seed": "随机数种子（同一种子生成同样的演示数据，默认2026）",
    "limit": "最多列出多少条（默认1000）",
    "name": "名称",
    "new_name": "改成的新名称",
    "new_brand": "改成的新品牌",
    "brand": "快递品牌",
    "type": "党组织类型",
    "parent": "上级党组织",
    "founding_mode": "组建方式",
    "org": "党组织",
    "from_org": "转出的党组织",
    "to_org": "转入的党组织",
    "date": "日期，如2026-11-30",
    "months": "延长的月数",
    "home_contact": "组织关系所在党组织的联系方式",
    "certificate_no": "流动党员活动证编号",
    "letter_no": "介绍信编号",
    "issued_on": "介绍信开具日期",
    "topic": "主题",
    "location": "地点",
    "kind": "会议类型",
    "post": "志愿服务岗位",
    "hours": "服务时长（小时）",
    "points": "积分（默认0）",
    "role": "担任的角色",
    "entity": "只看某类记录",
    "key": "身份证号",
    "out": "保存到的文件",
    "batch": "导入批次号（见 import batches）",
    "backup": "备份文件",
    "files": "要导入的表格文件（.xlsx、.xls、.csv）",
    "numbers": "要校验的身份证号（可多个）",
    "secretary": "书记",
    "contact": "联系人",
    "phone": "联系电话",
    "founded_on": "成立日期",
    "notes": "备注",
    "address": "地址",
    "district": "所在区县",
    "street": "所在街道（乡镇）",
    "community": "所在社区（村）",
    "workers": "从业人员数",
    "organization": "所属党组织",
    "guidance_officer": "党建指导员",
    "order": "排序",
}

# What a Latin choice value means, so that the help can say it: --order stroke, --entity people…
CHOICE_LABELS = {"stroke": "姓氏笔画", "pinyin": "拼音", "name": "姓名", "category": "人员类别",
                 "form": "党员信息登记表", "record": "发展党员纪实"}


_Parser = TypeVar("_Parser", bound=argparse.ArgumentParser)


class _Template(str):
    """A translated message that, when filled in, names argparse's type functions in Chinese and lists
    choices the Chinese way (3.11 quotes each choice: 'a', 'b'; 3.14 does not)."""

    def __mod__(self, args: Any) -> str:
        if isinstance(args, dict):
            args = dict(args)
            if isinstance(args.get("type"), str):
                args["type"] = TYPE_NAMES.get(args["type"], "值")
            if isinstance(args.get("choices"), str):
                args["choices"] = "、".join(c.strip().strip("'") for c in args["choices"].split(","))
        return str.__mod__(self, args)


def translate(message: str) -> str:
    found = MESSAGES.get(message)
    return _Template(found) if found is not None else message


def translate_plural(singular: str, plural: str, n: int) -> str:
    return translate(singular if n == 1 else plural)


@contextmanager
def chinese_messages() -> Iterator[None]:
    """argparse's words in Chinese for the duration (argparse looks `_` up in its module at each call)."""
    module: Any = argparse
    saved = module._, module.ngettext
    module._, module.ngettext = translate, translate_plural
    try:
        yield
    finally:
        module._, module.ngettext = saved


def display_width(text: str) -> int:
    """Columns a terminal gives the text: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


NO_LINE_START = set("、，。；：？！）》」』”’")
_TOKEN = re.compile(r"[!-~]+| |.")  # a run of Latin letters, digits and signs (--help, 2026-11), a space, a character


def wrap(text: str, width: int) -> list[str]:
    """Lines of at most `width` columns; Chinese breaks between any two characters, a Latin word stays whole."""
    lines: list[str] = []
    line = ""
    for token in _TOKEN.findall(" ".join(text.split())):
        if line and display_width(line + token) > width and token in NO_LINE_START:
            line += token  # a comma or a closing bracket stays at the end of its line, as Chinese is set
            continue
        if line and display_width(line + token) > width:
            lines.append(line.rstrip())
            line = ""
            if token == " ":
                continue
        while display_width(token) > width:  # a word longer than a line: cut it
            lines.append(token[:width])
            token = token[width:]
        line += token
    if line.strip():
        lines.append(line.rstrip())
    return lines


class ChineseHelpFormatter(argparse.HelpFormatter):
    """用法：, Chinese placeholders where argparse would print a DEST in capitals, and columns that line up
    with Chinese text (argparse counts characters, a terminal shows a Chinese one two columns wide)."""

    def add_usage(self, usage: str | None, actions: Any, groups: Any, prefix: str | None = None) -> None:
        super().add_usage(usage, actions, groups, MESSAGES["usage: "] if prefix is None else prefix)

    def _get_default_metavar_for_optional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "值")

    def _get_default_metavar_for_positional(self, action: argparse.Action) -> str:
        return METAVARS.get(action.dest, "值")

    def _plain(self, text: str) -> str:
        decolor = getattr(self, "_decolor", None)  # 3.14 colours a terminal's help
        return decolor(text) if decolor is not None else text

    def add_argument(self, action: argparse.Action) -> None:
        super().add_argument(action)
        if action.help is not argparse.SUPPRESS:
            widths = [display_width(self._plain(self._format_action_invocation(action))) + self._current_indent]
            for sub in self._iter_indented_subactions(action):
                widths.append(display_width(self._plain(self._format_action_invocation(sub))) + self._current_indent)
            self._action_max_length = max(self._action_max_length, *widths)

    def _format_action(self, action: argparse.Action) -> str:
        text = super()._format_action(action)
        header = " " * self._current_indent + self._plain(self._format_action_invocation(action))
        extra = display_width(header) - len(header)
        first, newline, rest = text.partition("\n")
        if extra <= 0 or not first.startswith(header) or not first[len(header):].startswith("  "):
            return text
        padding = len(first) - len(header) - len(first[len(header):].lstrip(" "))
        help_text = first[len(header) + padding:]
        if padding - extra >= 2:
            first = header + " " * (padding - extra) + help_text
        else:  # the header reaches the help column once shown: the help starts on the next line
            position = min(self._action_max_length + 2, self._max_help_position)
            first = header + "\n" + " " * position + help_text
        return first + newline + rest

    def _split_lines(self, text: str, width: int) -> list[str]:
        return wrap(text, width)

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        return "\n".join(indent + line for line in wrap(text, max(width - len(indent), 11)))


class ChineseArgumentParser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Chinese; a usage error is one sentence with a --help hint, exit code 2."""

    command_name: str | None = None  # how a user starts the program, when its usage line says otherwise

    def __init__(self, *args: Any, command_name: str | None = None, **kwargs: Any) -> None:
        if command_name is not None:
            self.command_name = command_name
        kwargs.setdefault("formatter_class", ChineseHelpFormatter)
        with chinese_messages():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> Any:
        with chinese_messages():
            return super().add_subparsers(**kwargs)

    def parse_known_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        with chinese_messages():
            return super().parse_known_args(args, namespace)

    def parse_args(self, args: Sequence[str] | None = None, namespace: Any = None) -> Any:  # type: ignore[override]
        parsed, extras = self.parse_known_args(args, namespace)
        if extras:  # said by the sub-command that was given, so that its --help is the one suggested
            self.chosen(parsed).error(translate("unrecognized arguments: %s") % " ".join(extras))
        return parsed

    def chosen(self, parsed: argparse.Namespace) -> ChineseArgumentParser:
        """The deepest sub-command's parser that the parsed arguments went through."""
        current = self
        while True:
            for action in current._actions:
                if isinstance(action, argparse._SubParsersAction) and action.dest is not argparse.SUPPRESS:
                    found = action.choices.get(getattr(parsed, action.dest, None) or "")
                    if isinstance(found, ChineseArgumentParser):
                        current = found
                        break
            else:
                return current

    def format_usage(self) -> str:
        with chinese_messages():
            return super().format_usage()

    def format_help(self) -> str:
        with chinese_messages():
            return super().format_help()

    def error(self, message: str) -> NoReturn:
        sentence = message.strip().rstrip("。")
        hint = f"命令用法有误：{sentence}；请运行“{self.help_command()}”查看用法。"
        self.exit(2, hint + "\n")

    def help_command(self) -> str:
        """The command that shows this parser's help, as the user would type it."""
        if self.command_name:
            return " ".join([self.command_name, *self.prog.split()[1:], HELP_HINT])
        return f"{self.prog} {HELP_HINT}"


def invoked_as(argv0: str | None = None, frozen: bool | None = None, executable: str | None = None) -> str:
    """How the user started the command line: the installed program's name, else `python -m registry`."""
    def stem(path: str) -> str:  # a Windows path too, whatever the system
        name = re.split(r"[\\/]", path)[-1]
        return name[:-4] if name.lower().endswith(".exe") else name

    if frozen if frozen is not None else getattr(sys, "frozen", False):
        return stem(executable or sys.executable)  # dangjian-cli.exe → dangjian-cli
    name = stem(argv0 if argv0 is not None else (sys.argv[0] if sys.argv else ""))
    return name if name in INSTALLED_NAMES else "python -m registry"


def all_parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    """The parser and every sub-command's parser below it, each once."""
    seen: set[int] = set()
    stack = [parser]
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        yield current
        for action in current._actions:
            if isinstance(action, argparse._SubParsersAction):
                stack.extend(reversed(list(action.choices.values())))


def localise(parser: _Parser) -> _Parser:
    """Give every option that says nothing about itself a Chinese help line (once, after building)."""
    from registry.services.history import ENTITY_LABELS  # the log's tables, for history --entity

    labels = {**ENTITY_LABELS, **CHOICE_LABELS}
    for each in all_parsers(parser):
        for action in each._actions:
            if action.help is None and action.dest in DEFAULT_HELP:
                action.help = DEFAULT_HELP[action.dest]
            if action.help and not isinstance(action, argparse._SubParsersAction):
                action.help = _with_choices(action, action.help, labels)
    return parser


def _with_choices(action: argparse.Action, text: str, labels: dict[str, str]) -> str:
    """The help, saying what each Latin choice value means when the help does not say so yet."""
    choices = [str(c) for c in action.choices or () if str(c).isascii() and str(c) in labels]
    if not choices or all(c in text for c in choices):
        return text
    default = f"，默认 {action.default}" if isinstance(action.default, str) and action.default in choices else ""
    return f"{text}：{'、'.join(f'{c} {labels[c]}' for c in choices)}{default}"
