"""The unit registry as an index: names and aliases to units, group phrases to members."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from gongkai_cli.model.values import Group, Unit


class Lookup(NamedTuple):
    """What one name means: a unit, a closed group, or an open group."""

    kind: str  # "unit" | "group" | "open-group"
    name: str  # the canonical unit name or the group name


class UnitIndex:
    """Fast lookups over a validated registry. Conflicts (an alias claimed twice) are
    reported by the checks; here the first claim wins so the index is always usable."""

    def __init__(self, units: Iterable[Unit], groups: Iterable[Group]):
        units = list(units)
        self.units: dict[str, Unit] = {}
        self.groups: dict[str, Group] = {g.name: g for g in groups}
        self._names: dict[str, str] = {}
        for unit in units:
            self.units.setdefault(unit.name, unit)
        for unit in units:
            for name in (unit.name, *unit.aliases):
                self._names.setdefault(name, unit.name)
        self._members: dict[str, tuple[str, ...]] = {}
        self._member_sets: dict[str, frozenset[str]] = {}

    def lookup(self, name: str) -> Lookup | None:
        if name in self._names:
            return Lookup("unit", self._names[name])
        group = self.groups.get(name)
        if group is not None:
            return Lookup("open-group" if group.open else "group", group.name)
        return None

    def canonical(self, name: str) -> str | None:
        """The canonical unit name for a name or alias, else None."""
        return self._names.get(name)

    def members(self, group_name: str) -> tuple[str, ...]:
        """The units of a closed group, in registry order; an open group's pool (`within`)."""
        if group_name not in self._members:
            group = self.groups[group_name]
            if group.open:
                pool = self.members(group.within) if group.within in self.groups else ()
            else:
                kinds = set(group.kinds)
                named = {self._names.get(n) for n in group.members}
                pool = tuple(
                    u.name for u in self.units.values() if u.kind in kinds or u.name in named
                )
            self._members[group_name] = pool
        return self._members[group_name]

    def member_set(self, group_name: str) -> frozenset[str]:
        """members() as a set, for membership tests over long logs."""
        if group_name not in self._member_sets:
            self._member_sets[group_name] = frozenset(self.members(group_name))
        return self._member_sets[group_name]

    def suggest(self, name: str) -> str | None:
        """The closest known unit or group name, for "did you mean …?"."""
        import difflib  # only when a name was not found

        candidates = [*self._names, *self.groups]
        match = difflib.get_close_matches(name, candidates, n=1, cutoff=0.6)
        if not match:
            return None
        return self._names.get(match[0], match[0])
