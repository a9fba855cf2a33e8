"""The package's shape, checked so it cannot drift: layers, sizes, and one place for lifecycle facts."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

from relsite.validate import lifecycle

PACKAGE = Path(__file__).resolve().parent.parent / "generator" / "relsite"
MODULES = sorted(PACKAGE.rglob("*.py"))
TEMPLATES = sorted((PACKAGE / "plan" / "templates").glob("*.j2"))
ENGINES = ("mkdocs", "material", "properdocs", "zensical")


def _imports(path: Path) -> set[str]:
    found: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _rel(path: Path) -> str:
    return path.relative_to(PACKAGE).as_posix()


def _rel_or_name(path: Path) -> str:
    return _rel(path) if path.is_relative_to(PACKAGE) else f"bench/{path.name}"


def test_the_package_is_found_where_the_source_root_says() -> None:
    assert MODULES and (PACKAGE / "__init__.py").is_file()
    assert not (PACKAGE.parent / "__init__.py").exists(), "generator/ is a source root, not a package"


@pytest.mark.parametrize("module", [m for m in MODULES if not _rel(m).startswith("publish/")], ids=_rel)
def test_only_the_publishing_layer_imports_an_engine(module: Path) -> None:
    engines = {name for name in _imports(module) if name.split(".")[0] in ENGINES}
    assert engines == set()


@pytest.mark.parametrize(
    "module", [m for m in MODULES if _rel(m).startswith(("load/", "validate/", "plan/"))], ids=_rel
)
def test_the_stages_never_import_the_command_line_or_a_later_stage(module: Path) -> None:
    stage = _rel(module).split("/")[0]
    later = {
        "load": ("relsite.validate", "relsite.plan", "relsite.publish", "relsite.cli"),
        "validate": ("relsite.plan", "relsite.publish", "relsite.cli"),
        "plan": ("relsite.publish", "relsite.cli"),
    }[stage]
    assert [name for name in _imports(module) if name.startswith(later)] == []


@pytest.mark.parametrize("module", MODULES, ids=_rel)
def test_no_module_is_over_400_lines(module: Path) -> None:
    assert len(module.read_text(encoding="utf-8").splitlines()) <= 400


MAX_FUNCTION_LINES = 60


def _long_functions(path: Path) -> list[str]:
    """Functions (methods included) longer than MAX_FUNCTION_LINES, with their length."""
    return [
        f"{node.name} ({node.end_lineno - node.lineno + 1} lines)"
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef))
        and node.end_lineno is not None
        and node.end_lineno - node.lineno + 1 > MAX_FUNCTION_LINES
    ]


@pytest.mark.parametrize("module", MODULES + sorted((PACKAGE.parent.parent / "bench").glob("*.py")), ids=_rel_or_name)
def test_no_function_is_over_60_lines(module: Path) -> None:
    assert _long_functions(module) == []


def test_the_function_length_check_finds_a_long_function(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text("def f():\n" + "    x = 1\n" * 61)
    assert _long_functions(sample) == ["f (62 lines)"]


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: p.name)
def test_no_template_line_is_over_160_characters(template: Path) -> None:
    long = [i for i, line in enumerate(template.read_text(encoding="utf-8").splitlines(), 1) if len(line) > 160]
    assert long == []


def _status_literals(path: Path) -> list[int]:
    """Lines where a set, tuple or list of two or more status words is written out."""
    vocabulary = set(lifecycle.RELEASE_STATUSES) | set(lifecycle.DEPLOYMENT_STATUSES)
    lines = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, (ast.Set, ast.Tuple, ast.List)):
            words = [e.value for e in node.elts if isinstance(e, ast.Constant) and isinstance(e.value, str)]
            if len(words) >= 2 and len(words) == len(node.elts) and set(words) <= vocabulary:
                lines.append(node.lineno)
    return lines


@pytest.mark.parametrize("module", [m for m in MODULES if m.name != "lifecycle.py"], ids=_rel)
def test_sets_of_statuses_are_written_only_in_the_lifecycle_module(module: Path) -> None:
    assert _status_literals(module) == []


def test_the_status_scan_finds_a_written_out_set(tmp_path: Path) -> None:
    sample = tmp_path / "sample.py"
    sample.write_text('DONE = {"deployed", "skipped"}\nOTHER = ("a", "b")\n')
    assert _status_literals(sample) == [1]


def test_templates_receive_a_view_model_not_the_portfolio() -> None:
    offenders = [
        t.name
        for t in TEMPLATES
        if any(word in t.read_text(encoding="utf-8") for word in (" f.", "(f.", "f.pf", ".pf."))
    ]
    assert offenders == []


def test_the_command_line_starts_without_the_models() -> None:
    """`relsite validate` forks its loader before it imports pydantic and the models (half its
    start-up): a command module that imports the plan or the models at its top undoes that."""
    code = (
        "import sys, relsite.cli; "
        "print(sorted(m for m in ('pydantic', 'relsite.validate.models', 'relsite.plan') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_the_notes_command_offers_the_formats_the_plan_writes() -> None:
    from relsite.cli.notes import FORMATS
    from relsite.plan.notes_output import FORMATS as WRITTEN

    assert FORMATS == WRITTEN
