"""Every responsibility phrase of the 2021 plan resolves, pinned task by task."""

from __future__ import annotations

import json

import pytest
import yaml

from gongkai_cli.ledger.checked import open_book
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.ledger.load import unit_index
from gongkai_cli.model.resolver import ResolveError, parse_roles, resolve
from gongkai_cli.model.schema import Registry, plain
from tests.conftest import REAL_DATA, TOWNS

_RAW_UNITS = yaml.safe_load((REAL_DATA / "units.yaml").read_text(encoding="utf-8"))["units"]
GOV = [u["name"] for u in _RAW_UNITS if u["kind"] == "政府工作部门"]  # 县政府各部门, 县直各部门
COUNTY = [
    u["name"]
    for u in _RAW_UNITS
    if u["kind"] in ("政府工作部门", "事业单位", "群团组织", "垂直管理单位")
]
ZONES = ["县开发区会", "濉芜产业园"]
OFFICE = "县政府办公室"

# task: (lead, implementers as a set, unresolved)
EXPECTED = {
    1: ([OFFICE, "县发改委", "县自然资源和规划局"], set(), ["县政府有关部门"]),
    2: ([], {OFFICE}, []),
    3: (["县发改委"], set(COUNTY), []),
    4: ([OFFICE], set(), ["县政府有关部门"]),
    5: (["县市场监管局"], set(COUNTY), []),
    6: (["县财政局"], set(TOWNS + COUNTY), []),
    7: (["县财政局"], set(TOWNS + COUNTY), []),
    8: (["县财政局"], set(TOWNS + COUNTY), []),
    9: (["县卫健委"], set(TOWNS + COUNTY), []),
    10: (["县卫健委"], set(TOWNS + COUNTY), []),
    11: ([], set(COUNTY), []),  # 县直有关部门 lies inside 县直各单位, which is all assigned
    12: ([OFFICE], set(["县发改委", "县经信局", "县商务局", *ZONES, *COUNTY]), []),
    13: ([], set(GOV + TOWNS + COUNTY), []),
    14: ([], set(GOV + TOWNS + COUNTY), []),
    15: ([OFFICE, "县经信局", "县数据资源局"], set(COUNTY), []),
    16: ([], {OFFICE}, []),
    17: ([OFFICE], set(COUNTY), []),
    18: ([], set(GOV + TOWNS + COUNTY), []),
    19: ([], set(TOWNS + COUNTY), []),
    20: ([], set(GOV + COUNTY), []),
    21: (["县司法局"], set(COUNTY), []),
    22: ([], set(["县司法局", *COUNTY]), []),
    23: ([OFFICE], set(COUNTY), []),
    24: ([], {OFFICE}, []),
    25: ([], set(), ["县政府有关部门"]),
    26: ([], set(COUNTY), []),
    27: ([], set([OFFICE, *TOWNS, *COUNTY]), []),
    28: ([], set(TOWNS), ["县直有关单位"]),
    29: (["县数据资源局"], set(COUNTY), []),
    30: ([], set(COUNTY), []),
    31: ([OFFICE, "县数据资源局"], set(COUNTY), []),
    32: ([], set([OFFICE, *TOWNS]), ["县直相关单位"]),
    33: ([], set(GOV + TOWNS + COUNTY), []),
    34: (["县司法局"], set(COUNTY), []),
    35: ([], set(TOWNS), ["县直有关单位"]),
    36: ([], set(TOWNS + COUNTY), []),
    37: ([], set([OFFICE, *TOWNS, *GOV]), []),
    38: ([OFFICE], set(TOWNS + COUNTY), []),
    39: ([], set([OFFICE, *TOWNS, *COUNTY]), []),
    40: ([], set([OFFICE, *TOWNS, *COUNTY]), []),
    41: ([], set([OFFICE, *TOWNS, *COUNTY]), []),
    42: ([], {OFFICE}, []),
    43: ([], {OFFICE}, []),
}


@pytest.fixture(scope="module")
def ledger():
    return open_book(DataDir(REAL_DATA, "option")).ledger


@pytest.fixture(scope="module")
def index():
    raw = yaml.safe_load((REAL_DATA / "units.yaml").read_text(encoding="utf-8"))
    return unit_index(plain(Registry.model_validate(raw)))


def test_the_registry_has_the_eleven_towns_and_every_county_unit():
    assert len(TOWNS) == 11 and len(COUNTY) == 38 and len(GOV) == 28


@pytest.mark.parametrize("number", sorted(EXPECTED))
def test_every_phrase_of_the_plan_resolves(ledger, number):
    lead, implementers, unresolved = EXPECTED[number]
    resolution = ledger.resolutions[number]
    assert list(resolution.lead) == lead
    assert set(resolution.implementers) == implementers - set(lead)
    assert list(resolution.unresolved) == unresolved


def test_lead_and_implementers_never_overlap(ledger):
    for resolution in ledger.resolutions.values():
        assert not set(resolution.lead) & set(resolution.implementers)


def test_every_unit_the_plan_names_is_registered(index):
    for task in yaml.safe_load((REAL_DATA / "tasks.yaml").read_text(encoding="utf-8"))["tasks"]:
        lead, implementers = parse_roles(task["responsibility"])
        for item in lead + implementers:
            assert index.lookup(item) is not None, item


def test_both_spellings_of_the_data_bureau_are_one_unit(index):
    assert index.canonical("县数据资源管理局") == index.canonical("县数据资源局") == "县数据资源局"
    assert index.canonical("孙町镇") == "孙疃镇"
    assert index.canonical("县开发区管委会") == "县开发区会"


def test_stray_spaces_and_half_width_commas_do_not_matter(index):
    a = resolve("县财政局牵头， 各镇、县直各单位负责落实", index)
    b = resolve("县财政局 牵头,各镇 、县直各单位 负责落实", index)
    assert a == b


def test_a_phrase_without_lead_makes_everyone_jointly_responsible(index):
    r = resolve("县司法局，县直各单位负责落实", index)
    assert r.lead == ()
    assert r.implementers[0] == "县司法局"


def test_open_group_expands_through_a_designation(index):
    r = resolve("县政府有关部门负责落实", index, designated=["县财政局", "县教育局"])
    assert (r.lead, r.implementers, r.unresolved) == ((), ("县财政局", "县教育局"), ())


def test_unknown_unit_suggests_the_nearest_name(index):
    with pytest.raises(ResolveError) as caught:
        resolve("县财政厅牵头，各镇负责落实", index)
    assert str(caught.value) == "责任单位中的“县财政厅”不在单位名录中，是否是指“县财政局”？"
    assert caught.value.offset == 0


def test_resolve_command_lists_exactly_the_eleven_towns(gongkai):
    result = gongkai("resolve", "各镇", "--format", "json")
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["implementers"] == TOWNS
    assert payload["lead"] == [] and payload["unresolved"] == []


def test_units_group_lists_the_towns(gongkai):
    result = gongkai("units", "--group", "各镇", "--format", "csv")
    assert result.stdout.splitlines() == ["名称,全称,类别,别名,依据"] + [
        f"{t},濉溪县{t}人民政府,镇,{'孙町镇' if t == '孙疃镇' else ''},已确认" for t in TOWNS
    ]


def test_units_of_an_open_group_is_a_clear_error(gongkai):
    result = gongkai("units", "--group", "县直有关单位")
    assert result.exit_code == 1
    assert result.stderr.endswith(
        "错误：“县直有关单位”是开放集合（有关部门），没有固定成员，须在各任务中用 designated: 指定。\n"
    )


def test_show_12_gives_the_office_as_lead_and_every_county_unit_as_implementer(gongkai):
    result = gongkai("show", "12", "--format", "json", "--as-of", "2021-06-01")
    payload = json.loads(result.stdout)
    assert payload["lead"] == [OFFICE]
    assert payload["implementers"][:5] == [
        "县发改委",
        "县经信局",
        "县商务局",
        "县开发区会",
        "濉芜产业园",
    ]
    assert set(payload["implementers"]) == set(ZONES + COUNTY) - {OFFICE}
    assert payload["deadline"] == {"text": "年底前", "kind": "date", "date": "2021-12-31"}
    assert payload["unresolved"] == []
    assert payload["status"]["县财政局"] == {
        "role": "implementer",
        "status": "未开始",
        "date": None,
        "note": None,
        "light": None,
    }


@pytest.mark.parametrize(
    ("phrase", "lead", "implementers"),
    [
        (
            "县政府办公室牵头，县财政局、县教育局按职责分工负责",
            ["县政府办公室"],
            ["县财政局", "县教育局"],
        ),
        ("县财政局、县发改委等部门按职责分工负责", [], ["县财政局", "县发改委"]),
        ("县财政局、县教育局分别负责", [], ["县财政局", "县教育局"]),
        ("县财政局负责，县教育局配合", [], ["县财政局", "县教育局"]),
        ("县财政局牵头负责，县教育局协助", ["县财政局"], ["县教育局"]),
        ("县财政局牵头，县教育局具体负责", ["县财政局"], ["县教育局"]),
        ("县财政局、县教育局根据职责共同负责", [], ["县财政局", "县教育局"]),
    ],
)
def test_other_plans_ways_of_saying_who_carries_the_work_out(index, phrase, lead, implementers):
    """Only 牵头 makes a lead; 负责, 按职责分工负责, 配合, 协助… make implementers."""
    resolution = resolve(phrase, index)
    assert (list(resolution.lead), list(resolution.implementers)) == (lead, implementers)


# ----- unit phrases of other plans -----

OTHER_PLAN_UNITS = {
    "groups": [
        {"name": "各区直部门", "kinds": ["部门"]},
        {"name": "相关区直部门", "open": True, "within": "各区直部门"},
        {"name": "市政府各部门", "kinds": ["市直部门"]},  # drafted: no units of its kind yet
        {"name": "市政府各有关部门", "open": True, "within": "市政府各部门"},
        {"name": "各县市区人民政府", "members": []},
        {"name": "州直各单位", "kinds": ["部门"]},
        {"name": "州直相关单位", "open": True, "within": "州直各单位"},
    ],
    "units": [
        {"name": "区发改委", "kind": "部门"},
        {"name": "区财政局", "kind": "部门"},
        {"name": "州委编办", "kind": "部门"},
        {"name": "市数据局", "kind": "部门"},
    ],
}


def other_index():
    return unit_index(plain(Registry.model_validate(OTHER_PLAN_UNITS)))


def test_a_named_unit_and_a_related_set_are_both_read():
    """区发改委等相关区直部门: 区发改委 named, plus the related 区直部门 to designate."""
    found = resolve("区发改委等相关区直部门负责落实", other_index())
    assert (found.lead, found.implementers, found.unresolved) == (
        (),
        ("区发改委",),
        ("相关区直部门",),
    )
    designated = resolve("区发改委等相关区直部门负责落实", other_index(), ["区财政局"])
    assert (designated.implementers, designated.unresolved) == (("区发改委", "区财政局"), ())


def test_ji_joins_a_unit_to_a_group():
    found = resolve("州委编办及州直相关单位", other_index())
    assert (found.implementers, found.unresolved) == (("州委编办",), ("州直相关单位",))


def test_an_open_set_over_an_empty_pool_is_never_settled():
    """市政府各有关部门 whose 市政府各部门 lists no unit yet: reported, not silently dropped."""
    found = resolve("市数据局牵头，市政府各有关部门负责落实", other_index())
    assert (found.lead, found.implementers, found.unresolved) == (
        ("市数据局",),
        (),
        ("市政府各有关部门",),
    )


def test_an_empty_group_never_satisfies_a_task():
    found = resolve("市数据局牵头，各县市区人民政府负责落实", other_index())
    assert found.unresolved == ("各县市区人民政府",)


def test_a_bare_noun_shares_the_qualifier_before_it():
    """市直有关部门、单位 is 市直有关部门 and 市直有关单位, never a unit called 单位."""
    assert parse_roles("市行政审批服务局牵头，市直有关部门、单位负责落实") == (
        ["市行政审批服务局"],
        ["市直有关部门", "市直有关单位"],
    )
