"""The worked examples in the core modules' docstrings are tests too."""

import ast
import doctest
import importlib
import pkgutil
from pathlib import Path

import pytest

import xuedai.core

MODULES = sorted(m.name for m in pkgutil.iter_modules(xuedai.core.__path__, "xuedai.core."))


def test_every_core_module_is_listed() -> None:
    assert "xuedai.core.money" in MODULES and "xuedai.core.engine" in MODULES


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    result = doctest.testmod(importlib.import_module(name), optionflags=doctest.ELLIPSIS)
    assert result.failed == 0


def test_core_imports_no_django() -> None:
    # core is the pure reference the Django apps are checked against (ARCHITECTURE.md, Layout)
    for path in Path(xuedai.core.__path__[0]).glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            assert not any(n.split(".")[0] == "django" for n in names), path.name
