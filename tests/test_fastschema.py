"""The plain-Python check of tasks.yaml and units.yaml accepts exactly what the Pydantic
schemas accept, and builds the same values."""

from __future__ import annotations

import datetime as dt

import pytest
import yaml
from hypothesis import HealthCheck, example, find, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

from gongkai_cli.model import fastschema, schema
from tests.conftest import REAL_DATA


def judged(model: type[schema.BaseModel], data: object) -> object:
    """What the schema makes of `data`: its plain value, or None if it refuses it."""
    try:
        return schema.plain(model.model_validate(data))
    except ValidationError:
        return None


def same(fast: object, slow: object) -> bool:
    # repr, not ==: True == 1 and 1.0 == 1, but the schema keeps the type it checked.
    return repr(fast) == repr(slow)


def surrogates(data: object) -> bool:
    if isinstance(data, str):
        return any("\ud800" <= ch <= "\udfff" for ch in data)
    if isinstance(data, dict):
        return any(surrogates(k) or surrogates(v) for k, v in data.items())
    return isinstance(data, list) and any(map(surrogates, data))


def agrees(fast: object, model: type[schema.BaseModel], data: object) -> None:
    """What the loader ends with (the fast value, or else the schema's verdict) is the
    schema's verdict; and every file the schema accepts takes the fast path, except one
    holding a lone surrogate anywhere (refused outright, though Pydantic lets one through
    inside a list)."""
    slow = judged(model, data)
    assert same(fast if fast is not None else slow, slow)
    assert fast is not None or slow is None or surrogates(data)


@pytest.mark.parametrize(
    ("shape", "model"),
    [
        (fastschema.UNIT, schema.Unit),
        (fastschema.GROUP, schema.Group),
        (fastschema.REGISTRY, schema.Registry),
        (fastschema.TASK, schema.Task),
        (fastschema.PLAN, schema.PlanFile),
    ],
    ids=["Unit", "Group", "Registry", "Task", "PlanFile"],
)
def test_each_shape_has_the_fields_and_required_fields_of_its_schema(shape, model):
    assert list(shape.fields) == list(model.model_fields) == list(shape.value._fields)
    assert shape.required == {n for n, f in model.model_fields.items() if f.is_required()}
    # A field left out gets the schema's default (lists as tuples).
    for name, field in model.model_fields.items():
        if not field.is_required():
            default = field.get_default(call_default_factory=True)
            expected = tuple(default) if isinstance(default, list) else default
            assert shape.value._field_defaults[name] == expected, name


def test_the_real_plan_and_registry_take_the_fast_path_to_the_schemas_values():
    plan = yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))
    registry = yaml.safe_load((REAL_DATA / "units.yaml").read_text(encoding="utf-8"))
    fast_plan, fast_registry = fastschema.plan(plan), fastschema.registry(registry)
    assert fast_plan is not None and len(fast_plan.tasks) == 43
    assert fast_registry is not None
    assert same(fast_plan, judged(schema.PlanFile, plan))
    assert same(fast_registry, judged(schema.Registry, registry))


# ----- generated data: near the schema, with every kind of mistake -----

# Now and then a lone surrogate: Pydantic refuses it, so the fast check must too.
text = st.integers(0, 15).flatmap(
    lambda n: (
        st.just("")
        if n == 0
        else st.text(alphabet=st.sampled_from(["甲", "\ud800", "\udfff"]), min_size=1, max_size=2)
        if n == 1
        else st.text(alphabet=st.sampled_from(["甲", "a", " ", "\ue000"]), min_size=1, max_size=3)
    )
)
junk = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 2300),
    st.floats(allow_nan=False),
    text,
    st.lists(text, max_size=2),
    st.dates(dt.date(2020, 1, 1), dt.date(2022, 1, 1)),
    st.dictionaries(text, text, max_size=2),
)
texts = st.lists(text, max_size=3)


def maybe(good: st.SearchStrategy) -> st.SearchStrategy:
    """Mostly (7 in 8) what the field takes, now and then anything."""
    return st.integers(0, 7).flatmap(lambda n: good if n else junk)


def shaped(required: dict[str, st.SearchStrategy], optional: dict[str, st.SearchStrategy]):
    """A mapping with the required fields and any of the others; now and then one field is
    left out (a mistake where it is required) or a key the schema does not know is added."""

    def spoil(data: dict) -> st.SearchStrategy:
        left_out = st.sampled_from(sorted(data, key=str)).map(
            lambda key: {k: v for k, v in data.items() if k != key}
        )
        unknown = st.sampled_from(["extra", 1, "Name"]).map(lambda key: {**data, key: "甲"})
        return st.one_of(*[st.just(data)] * 4, left_out, unknown)

    fields = {k: maybe(v) for k, v in required.items()}
    others = {k: maybe(v) for k, v in optional.items()}
    return st.fixed_dictionaries(fields, optional=others).flatmap(spoil)


optional_text = st.none() | text
units = shaped(
    {"name": text, "kind": text},
    {
        "full_name": optional_text,
        "aliases": texts,
        "inferred": st.booleans(),
        "source": optional_text,
        "note": optional_text,
    },
)
groups = shaped(
    {"name": text},
    {
        "description": optional_text,
        "kinds": texts,
        "members": texts,
        "open": st.booleans(),
        "within": optional_text,
        "incomplete": st.booleans(),
    },
)
registries = shaped(
    {"groups": st.lists(groups, max_size=3), "units": st.lists(units, max_size=3)},
    {"level": optional_text},
)
core = {
    "number": st.integers(-1, 50),
    "section": text,
    "subsection": text,
    "requirement": text,
    "deadline": text,
}
# Units as one phrase or as two columns; now and then both, or neither.
tasks = st.one_of(
    shaped({**core, "responsibility": text}, {"designated": texts, "lead": optional_text}),
    shaped(
        {**core, "implementers": text},
        {"lead": optional_text, "designated": texts, "responsibility": st.none()},
    ),
    shaped(core, {"responsibility": optional_text, "implementers": optional_text}),
)
plans = shaped(
    {"title": text, "year": st.integers(1940, 2210), "tasks": st.lists(tasks, max_size=2)},
    {"source": optional_text},
)
CHECKS = settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@CHECKS
@given(units)
@example({"name": "甲", "kind": "乙", "inferred": 1})
@example({"name": "甲", "kind": "乙", "aliases": None})
def test_a_unit_is_judged_as_the_schema_judges_it(data):
    agrees(fastschema.accepted(fastschema.UNIT, data), schema.Unit, data)


@CHECKS
@given(groups)
def test_a_group_is_judged_as_the_schema_judges_it(data):
    agrees(fastschema.accepted(fastschema.GROUP, data), schema.Group, data)


@CHECKS
@given(registries)
def test_a_registry_is_judged_as_the_schema_judges_it(data):
    agrees(fastschema.registry(data), schema.Registry, data)


A_TASK = {"number": 1, "section": "一", "subsection": "二", "requirement": "三", "deadline": "长期"}


@CHECKS
@given(tasks)
@example({**A_TASK, "responsibility": "县财政局", "lead": "县政务公开办"})  # both forms
@example({**A_TASK, "lead": "县政务公开办"})  # a lead without implementers
@example({**A_TASK, "number": True, "responsibility": "县财政局"})
@example({**A_TASK, "responsibility": "县财政局\ud800"})
def test_a_task_is_judged_as_the_schema_judges_it(data):
    agrees(fastschema.accepted(fastschema.TASK, data), schema.Task, data)


@CHECKS
@given(plans)
@example({"title": "计划", "year": 2201, "tasks": []})
@example({"title": "计划", "year": 2021.0, "tasks": []})
def test_a_plan_is_judged_as_the_schema_judges_it(data):
    agrees(fastschema.plan(data), schema.PlanFile, data)


@pytest.mark.parametrize(
    ("data", "model"),
    [
        (units, schema.Unit),
        (groups, schema.Group),
        (registries, schema.Registry),
        (tasks, schema.Task),
        (plans, schema.PlanFile),
    ],
    ids=["Unit", "Group", "Registry", "Task", "PlanFile"],
)
def test_the_generated_data_reaches_both_verdicts(data, model):
    """The checks above compare something: the data they draw is sometimes accepted."""
    quick = settings(database=None, max_examples=2000, suppress_health_check=list(HealthCheck))
    accepted = find(data, lambda d: judged(model, d) is not None, settings=quick)
    refused = find(data, lambda d: judged(model, d) is None, settings=quick)
    assert judged(model, accepted) is not None and judged(model, refused) is None
