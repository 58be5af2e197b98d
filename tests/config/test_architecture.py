"""Dependencies point one way.

The apps form layers (``LAYERS``, lowest first); a module of an app may import its own app and
the apps below it, never one above, neither at module level nor inside a function, nor by name
(``import_module("…")``, ``import_string("…")``, ``apps.get_model("app.Model")`` with a
literal). The composition root
(``config.urls``, ``wsgi``, ``asgi``, ``celery``, ``settings``) wires every app together and
is exempt. An import inside a function is how a cycle gets hidden, so there are few of them,
each with its reason on the same line (``# lazy: …``).

The checker reads the sources with ``ast``: nothing is imported, so a cycle cannot hide an
offender by failing to load.
"""

import ast
import textwrap
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

# Lowest first. An app may import the ones before it in this list.
LAYERS = [
    "config",
    "members",
    "moderation",
    "uploads",
    "search",
    "forum",
    "ideas",
    "ambassadors",
    "conversations",
    "analytics",
    "api",
    "webhooks",
    "bench",
]
COMPOSITION_ROOT = {
    "config.urls",
    "config.wsgi",
    "config.asgi",
    "config.celery",
    "config.settings",
}
EXCLUDED_DIRS = {"tests", ".venv", "node_modules", "__pycache__"}
MAX_FUNCTION_LEVEL_IMPORTS = 10
REASON_MARKER = "# lazy:"


@dataclass(frozen=True)
class Import:
    module: str  # the importing module, dotted
    path: str  # relative to the project root
    line: int
    target: str  # the imported module, dotted and absolute
    in_function: bool  # not at module level (inside a def or a class body)
    type_checking: bool  # under ``if TYPE_CHECKING:``
    by_name: bool = False  # a literal given to import_module / import_string / get_model

    @property
    def where(self) -> str:
        return f"{self.path}:{self.line}"


def app_of(module: str) -> str | None:
    top = module.split(".", 1)[0]
    return top if top in LAYERS else None


def module_name(path: Path, root: Path) -> tuple[str, bool]:
    """The dotted name of a source file and whether it is a package's ``__init__``."""
    parts = list(path.relative_to(root).with_suffix("").parts)
    is_package = parts[-1] == "__init__"
    if is_package:
        parts = parts[:-1]
    return ".".join(parts), is_package


def _resolve(node: ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Absolute targets of a ``from … import`` (one per name: ``from . import x`` may import
    the submodule ``x``)."""
    if node.level:
        package = module.split(".") if is_package else module.split(".")[:-1]
        base_parts = package[: len(package) - (node.level - 1)]
        base = ".".join(base_parts + ([node.module] if node.module else []))
    else:
        base = node.module or ""
    if node.module is None:  # ``from . import a, b``: the names are (probably) modules
        return [f"{base}.{alias.name}".lstrip(".") for alias in node.names]
    return [base]


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING"
    )


BY_NAME = {"import_module", "import_string", "get_model", "__import__"}


def _by_name(node: ast.Call) -> str | None:
    """The module a call names with a literal: ``import_module("forum.demo")``,
    ``apps.get_model("forum.Question")`` (an app label; here the labels are the packages)."""
    func = node.func
    name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", None)
    if name not in BY_NAME or not node.args:
        return None
    first = node.args[0]
    if not (isinstance(first, ast.Constant) and isinstance(first.value, str)):
        return None
    if name == "get_model":
        return first.value.split(".", 1)[0]
    return first.value


def imports_in_source(source: str, module: str, path: str, is_package: bool) -> Iterator[Import]:
    tree = ast.parse(source, filename=path)

    def visit(node: ast.AST, in_function: bool, type_checking: bool) -> Iterator[Import]:
        for child in ast.iter_child_nodes(node):
            if isinstance(child, ast.Import):
                for alias in child.names:
                    yield Import(module, path, child.lineno, alias.name, in_function, type_checking)
            elif isinstance(child, ast.ImportFrom):
                for target in _resolve(child, module, is_package):
                    yield Import(module, path, child.lineno, target, in_function, type_checking)
            elif isinstance(child, ast.Call) and (target := _by_name(child)):
                yield Import(
                    module, path, child.lineno, target, in_function, type_checking, by_name=True
                )
                yield from visit(child, in_function, type_checking)
            elif isinstance(child, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
                yield from visit(child, True, type_checking)
            elif isinstance(child, ast.If) and _is_type_checking(child.test):
                for stmt in child.body:
                    yield from visit(ast.Module(body=[stmt], type_ignores=[]), in_function, True)
                for stmt in child.orelse:
                    yield from visit(
                        ast.Module(body=[stmt], type_ignores=[]), in_function, type_checking
                    )
            else:
                yield from visit(child, in_function, type_checking)

    yield from visit(tree, False, False)


def source_files(root: Path) -> Iterator[Path]:
    for path in sorted(root.rglob("*.py")):
        relative = path.relative_to(root)
        if EXCLUDED_DIRS.intersection(relative.parts) or any(
            part.startswith(".") for part in relative.parts
        ):
            continue
        if relative.parts[0] in LAYERS:
            yield path


def project_imports(root: Path = ROOT) -> list[Import]:
    found = []
    for path in source_files(root):
        module, is_package = module_name(path, root)
        relative = str(path.relative_to(root))
        found.extend(imports_in_source(path.read_text(), module, relative, is_package))
    return found


def upward_imports(imports: Iterable[Import]) -> list[Import]:
    """Imports of a module of an app above the importing one."""
    found = []
    for imp in imports:
        if imp.module in COMPOSITION_ROOT:
            continue
        source, target = app_of(imp.module), app_of(imp.target)
        if source and target and LAYERS.index(target) > LAYERS.index(source):
            found.append(imp)
    return found


def app_cycles(imports: Iterable[Import]) -> list[list[str]]:
    """Strongly connected groups of two or more apps in the app import graph."""
    edges: dict[str, set[str]] = {app: set() for app in LAYERS}
    for imp in imports:
        if imp.module in COMPOSITION_ROOT:
            continue
        source, target = app_of(imp.module), app_of(imp.target)
        if source and target and source != target:
            edges[source].add(target)

    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    groups: list[list[str]] = []

    def connect(app: str) -> None:  # Tarjan
        index[app] = low[app] = len(index)
        stack.append(app)
        for other in sorted(edges[app]):
            if other not in index:
                connect(other)
                low[app] = min(low[app], low[other])
            elif other in stack:
                low[app] = min(low[app], index[other])
        if low[app] == index[app]:
            group = []
            while True:
                member = stack.pop()
                group.append(member)
                if member == app:
                    break
            if len(group) > 1:
                groups.append(sorted(group, key=LAYERS.index))

    for app in LAYERS:
        if app not in index:
            connect(app)
    return groups


def function_level_imports(imports: Iterable[Import]) -> list[Import]:
    """Import statements not at module level (``if TYPE_CHECKING:`` blocks excepted), once
    per statement."""
    seen: dict[tuple[str, int], Import] = {}
    for imp in imports:
        if imp.in_function and not imp.type_checking and not imp.by_name:
            seen.setdefault((imp.path, imp.line), imp)
    return list(seen.values())


def has_reason(imp: Import, root: Path = ROOT) -> bool:
    line = (root / imp.path).read_text().splitlines()[imp.line - 1]
    _, marker, reason = line.partition(REASON_MARKER)
    return bool(marker and reason.strip())


def _listing(imports: Iterable[Import]) -> str:
    return "\n".join(f"  {imp.where} imports {imp.target}" for imp in imports)


# -- the project -----------------------------------------------------------------------------

IMPORTS = project_imports()
PRESENT_APPS = [app for app in LAYERS if (ROOT / app).is_dir()]


@pytest.mark.parametrize("app", PRESENT_APPS)
def test_no_app_imports_an_app_above_it(app):
    found = [imp for imp in upward_imports(IMPORTS) if app_of(imp.module) == app]
    assert not found, f"{app} imports apps above it ({' → '.join(LAYERS)}):\n" + _listing(found)


def test_no_import_cycle_between_apps():
    cycles = app_cycles(IMPORTS)
    involved = [
        imp
        for imp in IMPORTS
        for group in cycles
        if imp.module not in COMPOSITION_ROOT
        and app_of(imp.module) in group
        and app_of(imp.target) in group
        and app_of(imp.module) != app_of(imp.target)
    ]
    assert not cycles, f"apps import each other: {cycles}\n" + _listing(involved)


def _ready_import(imp: Import) -> bool:
    """The one import Django requires of every app: ``<app>/apps.py`` importing its own
    ``receivers`` in ``ready()`` (docs/architecture.md, rule 3)."""
    app = app_of(imp.module)
    return imp.module == f"{app}.apps" and imp.target == f"{app}.receivers"


def test_every_app_imports_its_receivers_once_in_ready():
    ready = [imp for imp in function_level_imports(IMPORTS) if _ready_import(imp)]
    assert len(ready) == len({app_of(imp.module) for imp in ready})


def test_few_imports_inside_functions():
    found = [imp for imp in function_level_imports(IMPORTS) if not _ready_import(imp)]
    assert len(found) < MAX_FUNCTION_LEVEL_IMPORTS, (
        f"{len(found)} imports inside functions (fewer than {MAX_FUNCTION_LEVEL_IMPORTS} "
        "allowed; move them to module level or fix the layering):\n" + _listing(found)
    )


@pytest.mark.parametrize("app", PRESENT_APPS)
def test_each_import_inside_a_function_says_why(app):
    found = [
        imp
        for imp in function_level_imports(IMPORTS)
        if app_of(imp.module) == app and not has_reason(imp)
    ]
    assert not found, (
        f"imports inside functions without a `{REASON_MARKER} <reason>` comment on the same "
        "line:\n" + _listing(found)
    )


# -- the checker -----------------------------------------------------------------------------


def _fake_project(tmp_path: Path, files: dict[str, str]) -> list[Import]:
    for name, source in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(source))
    return project_imports(tmp_path)


def test_checker_finds_an_upward_import_inside_a_function_through_a_relative_import(tmp_path):
    imports = _fake_project(
        tmp_path,
        {
            "members/__init__.py": "",
            "members/services.py": """\
                from django.db import transaction

                from .models import Member


                def ban():
                    from forum.models import Question  # lazy: a cycle
                """,
            "members/views/__init__.py": "from ..selectors import member_get\n",
            "members/demo.py": """\
                from django.apps import apps

                Question = apps.get_model("forum.Question")
                """,
            "forum/__init__.py": "",
            "forum/services.py": "from members.services import ban\n",
            "tests/members/test_x.py": "from analytics import models\n",
        },
    )
    upward = upward_imports(imports)
    assert [(imp.where, imp.target) for imp in upward] == [
        ("members/demo.py:3", "forum"),
        ("members/services.py:7", "forum.models"),
    ]
    targets = {imp.target for imp in imports if imp.module == "members.views"}
    assert targets == {"members.selectors"}
    assert app_cycles(imports) == [["members", "forum"]]
    (lazy,) = function_level_imports(imports)
    assert lazy.where == "members/services.py:7"
    assert has_reason(lazy, tmp_path)


def test_checker_accepts_downward_type_checking_and_root_imports(tmp_path):
    imports = _fake_project(
        tmp_path,
        {
            "config/urls.py": "from analytics import views\n",
            "config/cache.py": "import django.core.cache\n",
            "forum/models.py": """\
                from typing import TYPE_CHECKING

                import members.models
                from config.markdown import render

                if TYPE_CHECKING:
                    from moderation.models import Flag


                class Question:
                    def f(self):
                        import json
                """,
        },
    )
    assert upward_imports(imports) == []
    assert app_cycles(imports) == []
    (lazy,) = function_level_imports(imports)
    assert (lazy.where, lazy.target) == ("forum/models.py:12", "json")
    assert not has_reason(lazy, tmp_path)
