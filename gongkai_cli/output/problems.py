"""Validation problems as text (FILE:LINE:COL: error: message), JSON or GitHub annotations."""

from __future__ import annotations

import json

from gongkai_cli.output.text import terminal, visible


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def render_problems(problems, fmt: str, schedules=()) -> str:
    """`schedules`: (number, phrase, Schedule, year) of each recurring task, shown so that a
    clerk can check how its deadline was read (text and JSON; a plan without any shows none)."""
    if fmt == "json":
        payload = {
            "errors": [p.as_dict() for p in problems if p.is_error],
            "warnings": [p.as_dict() for p in problems if not p.is_error],
        }
        if schedules:
            payload["schedules"] = [_schedule_json(*s) for s in schedules]
        return terminal(json.dumps(payload, ensure_ascii=False, indent=2)) + "\n"
    # A unit's name may hold escapes: each problem stays one visible line.
    if fmt == "github":
        return "".join(
            f"::{p.severity} file={_escape_property(visible(p.file))},line={p.line},col={p.column},"
            f"title={_escape_property(p.code)}::{_escape_data(visible(p.message))}\n"
            for p in problems
        )
    text = "".join(visible(p.as_text()) + "\n" for p in problems)
    if schedules and fmt == "text":
        text += f"周期性任务 {len(schedules)} 项，时限读作：\n"
        text += "".join(visible(_schedule_text(*s)) + "\n" for s in schedules)
    return text


def _schedule_text(number: int, phrase: str, schedule, year: int) -> str:
    periods = schedule.periods(year)
    return (
        f"  任务 {number}“{phrase}”：{schedule.describe()}；"
        f"{periods[0].label} 至 {periods[-1].label} 共 {len(periods)} 期，"
        f"首期 {periods[0].due.isoformat()} 截止，末期 {periods[-1].due.isoformat()} 截止。"
    )


def _schedule_json(number: int, phrase: str, schedule, year: int) -> dict:
    return {
        "number": number,
        "deadline": phrase,
        "schedule": {"kind": schedule.kind, "text": schedule.describe()},
        "periods": [{"period": p.label, "due": p.due.isoformat()} for p in schedule.periods(year)],
    }
