"""A second county's plan for the tests: 青山县's 2024 plan, four sections, long unit names.

Whatever gongkai writes must hold for any county and year, not only Suixi's 2021 plan; this
plan differs from it where that could show: its year, its number of sections, a township
(青山乡) beside towns, and unit names long enough to be broken by a careless line-breaker.
"""

from __future__ import annotations

from pathlib import Path

from tests.conftest import init_repo, write_ledger

TITLE = "青山县2024年政务公开重点工作任务分工"
SECTIONS = (
    "一、推进政策发布解读",
    "二、加强重点领域信息公开",
    "三、优化政务公开平台",
    "四、强化组织保障",
)
UNITS = """\
groups:
- name: 各乡镇
  kinds: [乡镇]
- name: 县直各单位
  kinds: [政府工作部门]
- name: 县直相关单位
  open: true
  within: 县直各单位
units:
- name: 县政府办公室
  aliases: [县政府办]
  kind: 政府工作部门
- name: 县发展和改革委员会
  aliases: [县发改委]
  kind: 政府工作部门
- name: 县财政局
  kind: 政府工作部门
- name: 县市场监督管理局
  aliases: [县市场监管局]
  kind: 政府工作部门
- name: 县住房和城乡建设局
  aliases: [县住建局]
  kind: 政府工作部门
- name: 县人力资源和社会保障局
  aliases: [县人社局]
  kind: 政府工作部门
- name: 县数据资源管理局
  aliases: [县数据局]
  kind: 政府工作部门
- name: 青山乡
  kind: 乡镇
- name: 白云镇
  kind: 乡镇
- name: 石门镇
  kind: 乡镇
"""

# (section index, subsection, requirement, responsibility, deadline)
_TASKS = [
    (
        0,
        "（一）做好政策文件发布。",
        "及时在政府网站发布县政府及其部门制发的规范性文件，同步做好解读。",
        "县政府办公室牵头，县直各单位负责落实",
        "6月底前",
    ),
    (
        0,
        "（一）做好政策文件发布。",
        "组织开展政策解读进基层活动，以图表、视频等形式解读与群众切身利益相关的政策。",
        "县政府办公室、县人力资源和社会保障局牵头，各乡镇负责落实",
        "持续推进",
    ),
    (
        1,
        "（二）加强财政信息公开。",
        "全面公开县级预算决算和“三公”经费，细化到功能分类项级科目，公开政府债务限额和余额。",
        "县财政局牵头，县直各单位、各乡镇负责落实",
        "6月底前",
    ),
    (
        1,
        "（三）推进营商环境信息公开。",
        "公开涉企收费目录清单和行政事业性收费目录，及时更新并在政府网站集中展示，接受社会监督，清理规范涉企收费目录。",
        "县发展和改革委员会、县市场监督管理局牵头，县直相关单位负责落实",
        "9月底前",
    ),
    (
        1,
        "（三）推进营商环境信息公开。",
        "公开保障性住房分配、城镇老旧小区改造计划和进展情况。",
        "县住房和城乡建设局负责落实",
        "10月底前",
    ),
    (
        2,
        "（四）办好政府网站。",
        "开展政府网站和政务新媒体常态化监管，每季度通报检查结果，督促整改到位。",
        "县政府办公室、县数据资源管理局负责落实",
        "持续推进",
    ),
    (
        2,
        "（四）办好政府网站。",
        "完善政府信息公开专栏，规范设置法定主动公开内容栏目。",
        "县政府办公室牵头，县直各单位、各乡镇负责落实",
        "8月底前",
    ),
    (
        2,
        "（五）完善依申请公开。",
        "规范政府信息公开申请办理流程，统一答复文书格式，加强复议诉讼风险研判。",
        "县政府办公室牵头，县直各单位、各乡镇负责落实",
        "11月底前",
    ),
    (
        3,
        "（六）健全工作机制。",
        "把政务公开纳入年度绩效考核，组织开展业务培训不少于两次。",
        "县政府办公室负责落实",
        "年底前",
    ),
    (
        3,
        "（六）健全工作机制。",
        "编制本单位政务公开年度工作要点并向社会公布。",
        "各乡镇、县直各单位负责落实",
        "3月底前",
    ),
]


def tasks_yaml() -> str:
    lines = [f"title: {TITLE}", "year: 2024", "tasks:"]
    for number, (section, sub, requirement, responsibility, deadline) in enumerate(_TASKS, 1):
        lines += [
            f"- number: {number}",
            f"  section: {SECTIONS[section]}",
            f"  subsection: {sub}",
            f"  requirement: {requirement}",
            f"  responsibility: {responsibility}",
            f"  deadline: {deadline}",
        ]
        if "相关单位" in responsibility:
            lines.append("  designated: [县财政局, 县数据资源管理局]")
    return "\n".join(lines) + "\n"


def write_qingshan(root: Path, progress: str = "") -> Path:
    """青山县's ledger under `root` (data/ in a git repository); returns `root`."""
    write_ledger(root, tasks_yaml(), UNITS, progress)
    return init_repo(root)
