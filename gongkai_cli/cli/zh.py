"""Typer and its bundled Click in Chinese: the message catalog, and the few hooks that apply it.

Typer passes its own words (Options, Arguments, Commands, default, required) through
`gettext`; the Click that Typer 0.26–0.29 bundles writes the rest (Usage, Error, Try … for
help, Missing option, No such option, Show this message and exit) as plain English. Both are
looked up in one catalog, `locale/zh_CN/LC_MESSAGES/gongkai.po`. The catalog is applied
whatever the locale of the machine, since every other word the tool prints is Chinese.

Everything that reaches into Typer's internals is here, in `install()`; tests/test_chinese.py
fails if an upgrade moves any of it.
"""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

LOCALE_DIR = Path(__file__).resolve().parent / "locale"
DOMAIN = "gongkai"


@functools.cache
def catalog():
    import gettext

    return gettext.translation(DOMAIN, LOCALE_DIR, languages=["zh_CN"])


def gettext(message: str) -> str:
    """The Chinese of one of Typer's or Click's English strings, or the string unchanged."""
    if not message.strip():
        return message  # gettext's "" is the catalog's header, not a translation
    return catalog().gettext(message)


@functools.cache
def _patterns() -> list[tuple[re.Pattern[str], str]]:
    """The catalog's msgids with {placeholders}, as patterns over finished sentences."""
    found = []
    for msgid, msgstr in catalog()._catalog.items():
        if not isinstance(msgid, str) or "{" not in msgid:
            continue
        pieces = re.split(r"\{(\w*)(?:![rs])?\}", msgid)
        pattern = re.escape(pieces[0])
        for index, (name, literal) in enumerate(zip(pieces[1::2], pieces[2::2], strict=True)):
            pattern += f"(?P<{name or f'_{index}'}>.+?)" + re.escape(literal)
        found.append((re.compile(pattern + r"\Z", re.S), msgstr.replace("{}", "{_0}")))
    return found


def _unquoted(value: str) -> str:
    """A value as Click quotes it ('x', or 'a', 'b') as Chinese text writes it: x, a、b."""
    return re.sub(r"'([^']*)'", r"\1", value.strip()).strip("'\"").replace(", ", "、")


def translate(sentence: str) -> str:
    """A finished English sentence in Chinese: looked up whole, then against the catalog's
    sentences with placeholders (their values, quoted by Click as 'x', keep their text)."""
    exact = gettext(sentence)
    if exact != sentence:
        return _ranges(exact)
    for pattern, msgstr in _patterns():
        match = pattern.match(sentence)
        if match:
            values = {k: gettext(_unquoted(v)) for k, v in match.groupdict().items()}
            if "message" in values:
                values["message"] = translate(values["message"])
            return _ranges(msgstr.format(**values))
    return _ranges(sentence)


def _ranges(text: str) -> str:
    """Click's ranges (0<=x<=65535, x>=1, x<=9) as Chinese text writes them: 0–65535, ≥1, ≤9."""

    def chinese(match: re.Match[str]) -> str:
        low, high, least, most = match.groups()
        return f"{low}–{high}" if low else f"≥{least}" if least else f"≤{most}"

    return re.sub(r"(-?[\d.]+)<=x<=(-?[\d.]+)|\bx>=(-?[\d.]+)|\bx<=(-?[\d.]+)", chinese, text)


def _param_name(exc) -> str:
    """How a parameter is named in a Chinese error: --unit for an option, its metavar for an
    argument."""
    hint = getattr(exc, "param_hint", None)
    if hint is not None:
        return " / ".join([hint] if isinstance(hint, str) else hint)
    param = getattr(exc, "param", None)
    if param is None:
        return ""
    if param.param_type_name == "option":
        return max(param.opts, key=len)
    return param.metavar or (param.name or "").upper()


def error_sentence(exc) -> str:
    """The one Chinese sentence that says what is wrong with the command line."""
    from typer._click import exceptions as ce

    name = _param_name(exc)
    # An option is named as typed (--unit); an argument by its Chinese name, in quotes.
    option = name.startswith("-")
    if isinstance(exc, ce.MissingParameter):
        return f"缺少选项 {name}。" if option else f"缺少参数“{name}”。"
    if isinstance(exc, ce.BadParameter):
        message = translate(exc.message).rstrip("。.")
        if not name:
            return f"值无效：{message}。"
        subject = f"{name} " if option else f"参数“{name}”"
        return f"{subject}的值无效：{message}。"
    if isinstance(exc, ce.NoSuchOption):
        sentence = f"没有选项 {exc.option_name}。"
        if exc.possibilities:
            sentence += f"是否是指 {'、'.join(sorted(exc.possibilities))}？"
        return sentence
    return translate(exc.format_message())


def _show_error(self, file=None) -> None:
    from typer._click.utils import echo

    echo(f"错误：{error_sentence(self)}", file=file or sys.stderr, color=self.show_color)


def _show_usage_error(self, file=None) -> None:
    from typer._click.utils import echo

    file = file or sys.stderr
    if self.ctx is not None:
        hint = ""
        if self.ctx.command.get_help_option(self.ctx) is not None:
            hint = f"请运行“{self.ctx.command_path} {self.ctx.help_option_names[0]}”查看帮助。\n"
        echo(f"{self.ctx.get_usage()}\n{hint}", file=file, color=self.ctx.color)
    echo(f"错误：{error_sentence(self)}", file=file, color=self.ctx and self.ctx.color)


# Patterns are compiled on first use: most runs show no help and meet no error.
_METAVAR = r"<[\w\[\] ]+>|\b[A-Z]{4,}\b"


def _metavars(text: str) -> str:
    """Typer's <str>, <int>, <path>, <list[path]> and Click's TEXT, INTEGER in Chinese."""

    def chinese(match: re.Match[str]) -> str:
        token = match.group()
        inner = re.fullmatch(r"<(?:list|tuple)\[(\w+)\]>", token)
        return gettext(f"<{inner.group(1).lower()}>") + "…" if inner else gettext(token)

    return re.sub(_METAVAR, chinese, text)


def _formatter_class(base):
    class ChineseHelpFormatter(base):
        """Click's help layout with Chinese headings, usage prefix and option help."""

        def write_usage(self, prog: str, args: str = "", prefix: str | None = None) -> None:
            for english in ("[OPTIONS]", "COMMAND [ARGS]..."):
                args = args.replace(english, gettext(english))
            args = _metavars(args)
            super().write_usage(prog, args, gettext("Usage: ") if prefix is None else prefix)

        def write_heading(self, heading: str) -> None:
            self.write(f"{'':>{self.current_indent}}{gettext(heading)}：\n")

        def write_text(self, text: str) -> None:
            from gongkai_cli.output.cjk import wrap

            indent = " " * self.current_indent
            for line in wrap(text, self.width - self.current_indent):
                self.write(f"{indent}{line}\n" if line else "\n")

        def write_dl(self, rows, col_max: int = 30, col_spacing: int = 2) -> None:
            # Click measures text by characters; a Chinese character takes two columns.
            from gongkai_cli.output.cjk import width, wrap

            rows = [(_metavars(term), translate(text)) for term, text in rows]
            first = min(max((width(term) for term, _ in rows), default=0), col_max)
            start = self.current_indent + first + col_spacing
            for term, text in rows:
                self.write(f"{'':>{self.current_indent}}{term}")
                if not text:
                    self.write("\n")
                    continue
                if width(term) <= first:
                    self.write(" " * (first - width(term) + col_spacing))
                else:
                    self.write("\n" + " " * start)
                lines = wrap(text, max(self.width - start, 20))
                self.write(lines[0] + "\n")
                for line in lines[1:]:
                    self.write(" " * start + line + "\n")

    return ChineseHelpFormatter


def install() -> None:
    """Make every help screen and usage error Chinese; idempotent and cheap (no file is read
    until a help screen or an error needs a word)."""
    import typer.core
    from typer._click import core, exceptions

    if getattr(core.Context.formatter_class, "gongkai", False):
        return
    typer.core._ = gettext
    formatter = _formatter_class(core.Context.formatter_class)
    formatter.gongkai = True
    core.Context.formatter_class = formatter
    exceptions.ClickException.show = _show_error
    exceptions.UsageError.show = _show_usage_error


# Hyphens and dashes that Chinese input methods type for "-": —, –, ‐, −, ﹣, －.
_DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"
_SLIP = f"^([{_DASHES}]+)([^{_DASHES}=\\s][^=\\s]*)"


def dash_slip(args, options: set[str]) -> str | None:
    """The hint for an option typed with an em dash or full-width characters (—unit,
    －－unit, --ｕｎｉｔ), which Chinese input methods produce: "是否是指 --unit？". Only
    for a word that is one of the app's options, so a note such as "—see above" passes."""
    import unicodedata

    for arg in args:
        match = re.match(_SLIP, arg)
        if match is None or arg.isascii():
            continue
        name = unicodedata.normalize("NFKC", match.group(2)).lower()
        if f"--{name}" in options:
            return f"无法识别“{arg}”：选项名应使用半角字符，是否是指 --{name}？"
    return None


def option_names(command) -> set[str]:
    """Every option name of a command and its subcommands."""
    names = {opt for param in command.params for opt in getattr(param, "opts", ())}
    for sub in getattr(command, "commands", {}).values():
        names |= option_names(sub)
    return names


def _chinese_installer(callback):
    """Typer's completion installer, with what it prints in Chinese."""

    def install(ctx, param, value):
        import contextlib
        import io

        if not value or ctx.resilient_parsing:
            return callback(ctx, param, value)
        printed = io.StringIO()
        code = 0
        try:
            with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
                callback(ctx, param, value)
        except SystemExit as exc:
            code = exc.code
        from typer._click.utils import echo

        # Colours off; Typer 0.26 names the shell by its enum member (Shells.bash).
        text = re.sub(r"\x1b\[[0-9;]*m|\bShells\.", "", printed.getvalue())
        for line in text.splitlines():
            echo(translate(line), err=bool(code))
        sys.exit(code)

    install.gongkai = True
    return install


def group_class():
    """The root command group: Chinese before anything runs, and a hint for dash slips."""
    from typer.core import TyperGroup

    class ChineseGroup(TyperGroup):
        def main(self, *args, **kwargs):
            install()
            for param in self.params:
                if param.name == "install_completion" and not hasattr(param.callback, "gongkai"):
                    param.callback = _chinese_installer(param.callback)
            return super().main(*args, **kwargs)

        def parse_args(self, ctx, args):
            # Only a word that starts with a dash-like character is looked at, so the
            # commands (loaded lazily) are all built only when such a word is there.
            suspects = [arg for arg in args if not arg.isascii() and re.match(_SLIP, arg)]
            if suspects:
                slip = dash_slip(suspects, option_names(self))
                if slip:
                    from typer._click.exceptions import UsageError

                    raise UsageError(slip, ctx)
            return super().parse_args(ctx, args)

    return ChineseGroup
