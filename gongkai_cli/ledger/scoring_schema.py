"""The schema of data/scoring.yaml: strict, like the other files (an unknown key is a typo)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from gongkai_cli.model.scoring import KINDS


class _Strict(BaseModel):
    model_config = ConfigDict(strict=True, extra="forbid", frozen=True)


class RuleEntry(_Strict):
    name: str = Field(min_length=1)
    kind: Literal[tuple(KINDS)]  # type: ignore[valid-type]
    deduct: float | None = Field(default=None, ge=0)
    add: float | None = Field(default=None, ge=0)
    per: Literal["day", "week"] = "day"
    cap: float | None = Field(default=None, gt=0)

    @model_validator(mode="after")
    def _deduct_or_add(self) -> RuleEntry:
        if (self.deduct is None) == (self.add is None):
            raise ValueError("每条规则写 deduct（扣分）或 add（加分），二者只写一个")
        return self


class ScoringFile(_Strict):
    base: float = 100
    floor: float = 0
    rules: list[RuleEntry]
