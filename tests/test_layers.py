"""The import graph of `bot/`: no circles, and imports point down the layers.

Read from the source with `ast` (every import counts: top-level, inside functions, under
TYPE_CHECKING), so a circle hidden behind a lazy import is still a circle. The upward
imports the code has today are listed in KNOWN_UPWARD as debt: a new one fails, and so does
an entry that is no longer true, so the list only ever shrinks.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent / "bot"

LAYERS: tuple[frozenset[str], ...] = (
    frozenset({"text", "data", "clinical", "semantic"}),  # shared; no feature of its own
    frozenset({"storage"}),
    frozenset({"knowledge"}),
    frozenset({"matching"}),
    frozenset({"safety"}),
    frozenset({"triage"}),
    frozenset(
        {"bundle", "authoring"}
    ),  # the served bundle (knowledge + matcher + check); scoring it
    frozenset({"config"}),
    frozenset({"dialogue"}),
    frozenset({"channel"}),  # the contract between the core and its channels
    frozenset({"processor", "metrics"}),
    frozenset({"admin"}),
    frozenset({"runtime"}),  # assembles the parts below
    frozenset({"telegram", "terminal"}),  # channels
    frozenset({"kb_cli", "run_cli", "health_cli", "cli", "__main__"}),  # entry points
)
"""Bottom first. A unit is a sub-package of `bot` or a top-level module; a unit may import
units on its own layer or below."""

KNOWN_UPWARD: frozenset[tuple[str, str]] = frozenset()
"""(importer, imported) module pairs that point up today: debt to pay, never to add to.
Empty since the bundle moved out of knowledge and evaluate/lint into authoring; the issue's
ceiling is one."""
MAX_UPWARD = 1


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, Path]:
    return {module_name(p): p for p in sorted(ROOT.rglob("*.py"))}


def imports_of(name: str, path: Path, known: set[str]) -> Iterator[str]:
    """The `bot` modules that `name` imports (a `from package import module` names the
    module; `from module import thing` names the module)."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            yield from (a.name for a in node.names if a.name.split(".")[0] == "bot")
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")[: len(package.split(".")) - node.level + 1]
                base = ".".join([*anchor, base] if base else anchor)
            if base.split(".")[0] != "bot":
                continue
            for alias in node.names:
                full = f"{base}.{alias.name}"
                yield full if full in known else base


def graph() -> dict[str, set[str]]:
    mods = modules()
    known = set(mods)
    return {
        name: {i for i in imports_of(name, path, known) if i in known and i != name}
        for name, path in mods.items()
    }


def unit(module: str) -> str:
    parts = module.split(".")
    return parts[1] if len(parts) > 1 else "bot"


def layer(module: str) -> int:
    name = unit(module)
    for index, units in enumerate(LAYERS):
        if name in units:
            return index
    raise AssertionError(f"{module}: put '{name}' on a layer in tests/test_layers.py LAYERS")


def upward(edges: dict[str, set[str]]) -> set[tuple[str, str]]:
    return {
        (src, dst)
        for src, targets in edges.items()
        if src != "bot"
        for dst in targets
        if dst != "bot" and layer(dst) > layer(src)
    }


def cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components of more than one module (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in sorted(edges.get(node, ())):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component: list[str] = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                component.append(top)
                if top == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(edges):
        if node not in index:
            visit(node)
    return found


def test_the_graph_is_read_from_the_source() -> None:
    edges = graph()
    assert "bot.dialogue.engine" in edges
    assert "bot.dialogue.texts" in edges["bot.dialogue.engine"]
    assert "bot.admin.layer" in edges["bot.runtime"]


def test_no_module_imports_itself_back_through_others() -> None:
    assert cycles(graph()) == []


def test_no_new_import_points_up_a_layer() -> None:
    new = sorted(upward(graph()) - KNOWN_UPWARD)
    assert new == [], "imports pointing up a layer (move the shared part down instead):\n" + (
        "\n".join(f"  {a} -> {b}" for a, b in new)
    )


def test_at_most_one_import_runs_back_up() -> None:
    assert len(upward(graph())) <= MAX_UPWARD
    assert len(KNOWN_UPWARD) <= MAX_UPWARD


def test_the_known_debt_list_is_still_true() -> None:
    paid = sorted(KNOWN_UPWARD - upward(graph()))
    assert paid == [], "no longer imported upward; remove from KNOWN_UPWARD:\n" + (
        "\n".join(f"  {a} -> {b}" for a, b in paid)
    )


def test_the_checks_catch_a_circle_and_an_upward_import() -> None:
    edges = {"bot.text": {"bot.dialogue.engine"}, "bot.dialogue.engine": {"bot.text"}}
    assert cycles(edges) == [["bot.dialogue.engine", "bot.text"]]
    assert upward(edges) == {("bot.text", "bot.dialogue.engine")}
