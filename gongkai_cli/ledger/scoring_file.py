"""Read data/scoring.yaml: validated like the other data files, every problem as FILE:LINE:COL."""

from __future__ import annotations

from gongkai_cli.errors import DataError, Problem, has_errors
from gongkai_cli.ledger.datadir import DataDir
from gongkai_cli.ledger.files import UnsafeFile, read_bytes
from gongkai_cli.model.scoring import DEFAULT_RULES, SCORING, Rules, rules_from


def scoring_problems(data_dir: DataDir) -> list[Problem]:
    """What is wrong with the ledger's scoring.yaml (none when there is no such file)."""
    return _read(data_dir)[1]


def read_rules(data_dir: DataDir) -> Rules:
    """The ledger's rules of 考评, or the default ones where it has no scoring.yaml; a
    DataError naming every problem where the file is wrong."""
    rules, problems = _read(data_dir)
    if has_errors(problems):
        raise DataError(problems)
    return rules


def _read(data_dir: DataDir) -> tuple[Rules, list[Problem]]:
    name = data_dir.display(SCORING)
    try:
        raw = read_bytes(data_dir.file(SCORING), within=data_dir.path, shown=name)
    except FileNotFoundError:
        return DEFAULT_RULES, []
    except UnsafeFile as exc:
        return DEFAULT_RULES, [Problem(name, 1, 1, str(exc), "io")]
    except OSError as exc:
        return DEFAULT_RULES, [Problem(name, 1, 1, f"无法读取文件：{exc.strerror}。", "io")]
    # Read only where the office wrote one: YAML and the schema stay off every other run.
    from gongkai_cli.ledger import yamlio
    from gongkai_cli.ledger.schema_errors import problems_from

    text, problems = yamlio.decode(raw, name)
    if text is None:
        return DEFAULT_RULES, problems
    data, problems = yamlio.parse(text, name)
    if problems:
        return DEFAULT_RULES, problems
    from pydantic import ValidationError

    from gongkai_cli.ledger.scoring_schema import ScoringFile

    try:
        return rules_from(ScoringFile.model_validate(data)), []
    except ValidationError as exc:
        return DEFAULT_RULES, problems_from(exc, data, name)
