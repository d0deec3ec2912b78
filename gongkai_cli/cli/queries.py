"""list, overdue, due: the daily questions."""

from __future__ import annotations

import enum
from typing import Annotated

import typer

from gongkai_cli.cli import completion
from gongkai_cli.cli.options import (
    AsOfOpt,
    DataOpt,
    QueryFormat,
    QueryFormatOpt,
    WideOpt,
    as_of_day,
    book_for,
    choice,
    command_group,
    emit,
    unit_option,
)
from gongkai_cli.model.statuses import ROLE_WORDS, TASK_STATES

app, command = command_group()


class Role(enum.StrEnum):
    lead = "lead"
    implementer = "implementer"


class By(enum.StrEnum):
    task = "task"
    unit = "unit"


ROLES = choice(
    {
        ROLE_WORDS["lead"]: Role.lead,
        ROLE_WORDS["implementer"]: Role.implementer,
        "lead": Role.lead,
        "implementer": Role.implementer,
    },
    "可用的角色",
)
BYS = choice({"任务": By.task, "单位": By.unit, "task": By.task, "unit": By.unit}, "可用的分组方式")


@command("list")
def list_(
    unit: Annotated[
        str | None,
        unit_option(
            "只看该单位负责的任务（单位名或别名）；写集合（如 各镇）则列出其成员单位的任务。"
        ),
    ] = None,
    role: Annotated[
        Role | None,
        typer.Option(
            "--role",
            help="与 --unit 合用：牵头（lead）或落实（implementer）。",
            metavar="牵头|落实",
            parser=ROLES,
        ),
    ] = None,
    section: Annotated[
        str | None,
        typer.Option(
            "--section",
            help="大项：一、二…（计划中大项的序号），或 1、2…。",
            metavar="大项",
            autocompletion=completion.sections,
        ),
    ] = None,
    deadline: Annotated[
        str | None, typer.Option("--deadline", help="时限原文，如 年底前。", metavar="时限")
    ] = None,
    due_before: Annotated[
        str | None, typer.Option("--due-before", help="时限早于该日期。", metavar="日期")
    ] = None,
    status: Annotated[
        str | None,
        typer.Option(
            "--status",
            help="状态：有 --unit 时为该单位的状态，"
            f"否则为任务的状态（{'、'.join(TASK_STATES)}）；"
            "也可写 逾期、临期、逾期完成。",
            metavar="状态",
            autocompletion=completion.statuses,
        ),
    ] = None,
    search: Annotated[
        str | None,
        typer.Option("--search", "-s", help="在具体要求中查找文字。", metavar="文字"),
    ] = None,
    as_of: AsOfOpt = None,
    fmt: QueryFormatOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """列出任务；--unit 列出某单位负责的全部任务及其角色（牵头/落实）。"""
    from gongkai_cli.model.book import Filters, list_tasks, section_numeral
    from gongkai_cli.model.dates import parse_date
    from gongkai_cli.model.statuses import parse_status_filter
    from gongkai_cli.output.views import list_view, task_json

    if role and not unit:
        raise typer.BadParameter("--role 须与 --unit 一起使用。", param_hint="--role")
    book = book_for(data)
    day = as_of_day(book, as_of)
    index = book.ledger.index
    group = unit.strip() if unit and unit.strip() in index.groups else None
    filters = Filters(
        unit=book.unit(unit) if unit and not group else None,
        group=index.members(group) if group else (),
        role=role.value if role else None,
        section=section_numeral(book, section) if section else None,
        deadline=deadline,
        due_before=parse_date(due_before, "--due-before", year=lambda: book.ledger.year)
        if due_before
        else None,
        status=parse_status_filter(status) if status else None,
        search=search,
    )
    rows = list_tasks(book, filters, day)
    emit(
        fmt,
        lambda: list_view(rows, filters.unit, day, group=group),
        lambda: [
            task_json(book, r, day) | ({"group_units": [a.unit for a in r.group]} if group else {})
            for r in rows
        ],
        wide=wide,
    )


def _late_command(
    kind: str, by: By, as_of: str | None, within: str, fmt: QueryFormat | None, wide: bool, data
) -> None:
    from gongkai_cli.model.book import by_unit, due, overdue, unassigned
    from gongkai_cli.model.dates import parse_days
    from gongkai_cli.output.views import late_by_unit_json, late_by_unit_view, late_json, late_view

    book = book_for(data)
    day = as_of_day(book, as_of)
    is_overdue = kind == "overdue"
    items = overdue(book, day) if is_overdue else due(book, day, parse_days(within, "--within"))
    days_key = "days_overdue" if is_overdue else "days_left"
    if by is By.unit:
        grouped = by_unit(items)
        emit(
            fmt,
            lambda: late_by_unit_view(
                grouped, day, overdue=is_overdue, unspecified=unassigned(items)
            ),
            lambda: late_by_unit_json(grouped, days_key),
            wide=wide,
        )
    else:
        emit(
            fmt,
            lambda: late_view(book, items, day, overdue=is_overdue),
            lambda: late_json(items, days_key),
            wide=wide,
        )


ByOpt = Annotated[
    By,
    typer.Option(
        "--by", help="按任务（task）或按单位（unit）列出。", metavar="任务|单位", parser=BYS
    ),
]


@command("overdue")
def overdue_(
    as_of: AsOfOpt = None,
    by: ByOpt = By.task,
    fmt: QueryFormatOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """逾期：时限早于该日、到该日仍未完成（已完成/不涉及）的任务及单位。持续推进的任务不计逾期。"""
    _late_command("overdue", by, as_of, "0", fmt, wide, data)


@command("due")
def due_(
    within: Annotated[
        str, typer.Option("--within", help="多少天内到期，如 30d、2w、30天。", metavar="天数")
    ] = "30d",
    as_of: AsOfOpt = None,
    by: ByOpt = By.task,
    fmt: QueryFormatOpt = None,
    wide: WideOpt = False,
    data: DataOpt = None,
) -> None:
    """临期：从该日起若干天内到期、尚未完成的任务（黄灯提醒）。"""
    _late_command("due", by, as_of, within, fmt, wide, data)
