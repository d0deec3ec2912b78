"""The package's import graph, read from the source: every `import` (inside functions too,
not under `if TYPE_CHECKING:`), and the layer rule each part of the package states.

    python3 tools/import_graph.py            # the parts, and which parts each one imports
    python3 tools/import_graph.py --modules  # every module's imports of the package

A part is a subpackage (gongkai_cli.ledger, gongkai_cli.output.site, ...) or a module at the top
(gongkai_cli.errors, ...). Its docstring states its rule on a line of its own:

    May import: `gongkai_cli.errors`, `gongkai_cli.model`.

naming the parts (or single modules) it may import besides itself; `nothing` names none.
A module that needs one more may be named on a line of its own:

    `gongkai_cli.model.book` may also import `gongkai_cli.ledger.checked`.

tests/test_layout.py holds every import to these rules. Standard library only.
"""

from __future__ import annotations

import ast
import re
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "gongkai_cli"
ROOT = "gongkai_cli"

_NAME = re.compile(r"`(gongkai_cli(?:\.\w+)*)`")
# The rule is the sentence after "May import:", up to a full stop that ends a sentence.
_RULE = re.compile(r"^May import:(.*?)\.(?:\s|$)", re.M | re.S)
_ALSO = re.compile(r"^`(gongkai_cli(?:\.\w+)*)` may also import (.+)$", re.M)


def module_name(path: Path, package: Path = PACKAGE) -> str:
    parts = path.relative_to(package.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imports_of(source: str, modules: Iterable[str]) -> set[str]:
    """The package's modules that `source` imports anywhere (lazy imports inside functions
    count too), except under `if TYPE_CHECKING:`, which never runs."""
    modules = set(modules)
    tree = ast.parse(source)
    skipped = {
        id(node)
        for branch in ast.walk(tree)
        if isinstance(branch, ast.If) and "TYPE_CHECKING" in ast.unparse(branch.test)
        for stmt in branch.body
        for node in ast.walk(stmt)
    }
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            # `from a.b import c` imports a.b, and a.b.c where c is a module
            names = [node.module] + [f"{node.module}.{alias.name}" for alias in node.names]
        else:
            continue
        found |= {name for name in names if name in modules}
    return found


def sources(package: Path = PACKAGE) -> dict[str, Path]:
    return {module_name(p, package): p for p in sorted(package.rglob("*.py"))}


def module_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    """Each module → the package's modules it imports itself (not the packages' __init__
    that importing them runs as well)."""
    files = sources(package)
    return {
        name: imports_of(path.read_text(encoding="utf-8"), files) - {name}
        for name, path in files.items()
    }


def parts(modules: Iterable[str], packages: Iterable[str]) -> dict[str, str]:
    """Each module → its part: the innermost subpackage holding it, or itself at the top."""
    packages = sorted((p for p in packages if p != ROOT), key=len, reverse=True)
    return {m: next((p for p in packages if m == p or m.startswith(p + ".")), m) for m in modules}


@dataclass
class Rule:
    part: str
    allowed: set[str] = field(default_factory=set)
    also: dict[str, set[str]] = field(default_factory=dict)  # module → more it may import
    stated: bool = False

    def permits(self, module: str, target: str) -> bool:
        names = {self.part} | self.allowed | self.also.get(module, set())
        return any(_within(target, name) for name in names)


def _within(target: str, name: str) -> bool:
    # The root is one module (the library API's lazy names), never all of the package.
    return target == name or (name != ROOT and target.startswith(name + "."))


def rule_of(part: str, docstring: str) -> Rule:
    rule = Rule(part)
    if stated := _RULE.search(docstring):
        rule.stated = True
        rule.allowed = set(_NAME.findall(stated[1]))
    for match in _ALSO.finditer(docstring):
        rule.also.setdefault(match[1], set()).update(_NAME.findall(match[2]))
    return rule


def rules(package: Path = PACKAGE) -> dict[str, Rule]:
    """Each part's rule, from its docstring (its __init__'s, for a subpackage)."""
    found = {}
    files = sources(package)
    for part in set(parts(files, _packages(files)).values()):
        tree = ast.parse(files[part].read_text(encoding="utf-8"))
        found[part] = rule_of(part, ast.get_docstring(tree) or "")
    return found


def _packages(files: dict[str, Path]) -> set[str]:
    return {name for name, path in files.items() if path.name == "__init__.py"}


def violations(
    graph: dict[str, set[str]], part_of: dict[str, str], stated: dict[str, Rule]
) -> list[str]:
    """Every import that breaks its part's rule, and every part that states none."""
    found = [
        f"{part} states no rule (a sentence 'May import: ...')"
        for part in sorted(stated)
        if not stated[part].stated
    ]
    for module in sorted(graph):
        rule = stated[part_of[module]]
        for target in sorted(graph[module]):
            if not rule.permits(module, target):
                found.append(f"{module} imports {target}")
    return found


def broken_rules(package: Path = PACKAGE) -> list[str]:
    """Every import in `package` that breaks its part's rule."""
    graph = module_graph(package)
    return violations(graph, parts(graph, _packages(sources(package))), rules(package))


def part_graph(graph: dict[str, set[str]], part_of: dict[str, str]) -> dict[str, set[str]]:
    edges: dict[str, set[str]] = {part: set() for part in part_of.values()}
    for module, targets in graph.items():
        edges[part_of[module]] |= {part_of[t] for t in targets} - {part_of[module]}
    return edges


def _short(name: str) -> str:
    return name.removeprefix(ROOT + ".") if name != ROOT else ROOT


def main(argv: list[str]) -> int:
    graph = module_graph()
    files = sources()
    part_of = parts(graph, _packages(files))
    if "--modules" in argv:
        for module in sorted(graph):
            print(f"{_short(module)} → {', '.join(sorted(map(_short, graph[module]))) or '-'}")
        return 0
    edges = part_graph(graph, part_of)
    # Lowest first: each part after the parts it imports; in a cycle, the part that waits
    # on the fewest others goes first, and of those the one most others import.
    used_by = {p: sum(p in targets for targets in edges.values()) for p in edges}
    order: list[str] = []
    while len(order) < len(edges):
        waiting = {p: len(edges[p] - set(order)) for p in edges if p not in order}
        order.append(min(waiting, key=lambda p: (waiting[p], -used_by[p], p)))
    width = max(len(_short(p)) for p in order)
    for part in order:
        print(f"{_short(part):<{width}}  → {', '.join(sorted(map(_short, edges[part]))) or '-'}")
    broken = broken_rules()
    for line in broken:
        print(f"broken rule: {line}", file=sys.stderr)
    return 1 if broken else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
