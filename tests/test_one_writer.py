"""One writer of a contract's state, and imports that point one way (ARCHITECTURE principle 3, the
floor order of the layout).

The source is read as Python syntax (ast), so a comment or a docstring mentioning `.state =` does
not count, and a real assignment cannot hide behind formatting.
"""

import ast
import re
from collections import defaultdict
from pathlib import Path

import xuedai

SRC = Path(xuedai.__file__).parent
WRITER = SRC / "origination" / "services" / "transitions.py"
# Builders of demo data write whole rows in bulk (COPY) — creation, not a move — and are not code a
# user action runs.
BULK_BUILDERS = {SRC / "demo"}
WRITE_METHODS = {"create", "bulk_create", "get_or_create", "update_or_create", "update"}


def _modules():
    for path in sorted(SRC.rglob("*.py")):
        if "migrations" in path.parts:
            continue
        yield path, ast.parse(path.read_text(), filename=str(path))


def _under(path: Path, roots) -> bool:
    return any(root in path.parents for root in roots)


def state_writes(tree: ast.AST) -> list[int]:
    """Lines that assign `<x>.state`, pass `state=` to an update()/create()/filter-update, or build a
    ContractEvent — anything but reading a state."""
    lines = []
    for node in ast.walk(tree):
        targets = []
        if isinstance(node, ast.Assign):
            targets = node.targets
        elif isinstance(node, ast.AugAssign | ast.AnnAssign):
            targets = [node.target]
        for target in targets:
            for part in ast.walk(target):
                stored = isinstance(part, ast.Attribute) and isinstance(part.ctx, ast.Store)
                if stored and part.attr == "state":
                    lines.append(node.lineno)
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            if name == "ContractEvent":
                lines.append(node.lineno)
            if name in {"update", "update_or_create"} and any(k.arg == "state" for k in node.keywords):
                lines.append(node.lineno)
            if isinstance(func, ast.Attribute) and func.attr in WRITE_METHODS and \
                    isinstance(func.value, ast.Attribute) and func.value.attr == "objects" and \
                    getattr(func.value.value, "id", "") == "ContractEvent":
                lines.append(node.lineno)
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            sql = " ".join(node.value.split()).lower()
            if re.search(r"update origination_contract\b.* set state\b", sql) or \
                    "into origination_contractevent" in sql:
                lines.append(node.lineno)
    return sorted(set(lines))


def test_only_the_transition_applier_writes_a_contract_state_or_builds_an_event():
    offenders = {}
    for path, tree in _modules():
        if path == WRITER or _under(path, BULK_BUILDERS):
            continue
        if lines := state_writes(tree):
            offenders[str(path.relative_to(SRC))] = lines
    assert offenders == {}, f"state written outside origination/services/transitions.py: {offenders}"


def test_the_scan_finds_each_kind_of_write():
    """The check above must be able to fail: each way of writing a state is caught."""
    samples = {
        "contract.state = 'settled'": 1,
        "a.b.state = x": 1,
        "Contract.objects.filter(pk=1).update(state='x')": 1,
        "ContractEvent(contract=c, action='x')": 1,
        "ContractEvent.objects.create(contract=c)": 1,
        "ContractEvent.objects.bulk_create([])": 1,
        "cur.execute('UPDATE origination_contract c SET state = t.s FROM t')": 1,
        "cur.execute('INSERT INTO origination_contractevent (id) VALUES (1)')": 1,
        "x = contract.state": 0,
        "Contract.objects.filter(state='x').count()": 0,
        "ContractEvent.objects.filter(contract=c)": 0,
    }
    for source, expected in samples.items():
        assert len(state_writes(ast.parse(source))) == expected, source


# ---- imports point one way -----------------------------------------------------------------------

def app_of(path: Path) -> str:
    return path.relative_to(SRC).parts[0].removesuffix(".py")


def app_imports() -> dict[str, dict[str, set[str]]]:
    """{app: {imported app: {module paths}}} over every absolute `xuedai.<app>` import, including
    those inside functions and under TYPE_CHECKING; relative imports stay inside their app."""
    edges: dict[str, dict[str, set[str]]] = defaultdict(lambda: defaultdict(set))
    for path, tree in _modules():
        here = app_of(path)
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            elif isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            else:
                continue
            for name in names:
                parts = name.split(".")
                if parts[0] == "xuedai" and len(parts) > 1 and parts[1] != here:
                    edges[here][parts[1]].add(str(path.relative_to(SRC)))
    return edges


def test_no_two_apps_import_each_other():
    edges = app_imports()
    both_ways = sorted({tuple(sorted((a, b))) for a in edges for b in edges[a] if a in edges.get(b, {})})
    assert both_ways == [], {f"{a}↔{b}": (sorted(edges[a][b]), sorted(edges[b][a])) for a, b in both_ways}


# The floor order (lowest first): an app imports only apps on lower floors, apart from the pairs in
# SIDEWAYS. core → policies / orgs / identity → borrowers → origination → loans → postloan →
# reports → web, with the apps the layout adds in between.
FLOORS = [
    {"core", "identity", "ledger_guards", "locks", "widgets"},
    {"audit"},
    {"jobs"},  # a batch run is done in the transaction of its one audit entry (jobs.runner.Job.finish)
    {"businessdate"},
    {"orgs"},
    {"policies"},
    {"borrowers"},
    {"documents"},
    {"origination"},
    {"batch"},
    {"loans"},
    {"funds"},  # the state's money: reads the ledger, posts through loans services
    {"calculator"},
    {"postloan"},
    {"daily", "reports", "demo"},
    {"web"},
    {"cli", "urls", "api_urls", "wsgi", "settings"},
]
SIDEWAYS: set[tuple[str, str]] = set()


def test_imports_follow_the_floor_order():
    floor = {app: level for level, apps in enumerate(FLOORS) for app in apps}
    edges = app_imports()
    unknown = sorted((set(edges) | {b for targets in edges.values() for b in targets}) - set(floor))
    assert unknown == [], f"apps with no floor in FLOORS: {unknown}"
    upward = {f"{a}→{b}": sorted(paths) for a, targets in edges.items() for b, paths in targets.items()
              if floor[b] >= floor[a] and (a, b) not in SIDEWAYS}
    assert upward == {}, f"imports that point up (or sideways): {upward}"


def test_no_importlib_or_installed_app_hedges():
    hedges = {str(p.relative_to(SRC)): n for p, t in _modules()
              if (n := [node.lineno for node in ast.walk(t) if _hedge(node)])}
    assert hedges == {}


def _hedge(node: ast.AST) -> bool:
    if isinstance(node, ast.Import) and any(a.name == "importlib" for a in node.names):
        return True
    if isinstance(node, ast.ImportFrom) and node.module == "importlib":
        return True
    return isinstance(node, ast.Attribute) and node.attr == "is_installed"
