"""Layers (issue 22 item 3): core knows no app, and privacy knows only core and accounts. Every module of
the package (migrations aside) is parsed and each import it makes — at the top, inside a function, or an
`import_module("…")` with a literal name — is checked against the repository's own packages; Django,
the standard library and third-party packages are free."""

import ast
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)

# package → the project packages it may import besides itself and `config`
ALLOWED = {
    "core": set(),
    "privacy": {"core", "accounts"},
}


def project_packages() -> set[str]:
    """The repository's installed apps (settings.INSTALLED_APPS) and its other top-level packages (bench…),
    except `config`: the project's settings and Celery app, which every layer may read like django.conf."""
    apps = {entry.split(".")[0] for entry in settings.INSTALLED_APPS if (ROOT / entry.split(".")[0]).is_dir()}
    return (apps | {init.parent.name for init in ROOT.glob("*/__init__.py")}) - {"config"}


def imported_names(tree: ast.AST):
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            yield node.module
        elif (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", "")) in {"import_module", "__import__"}
            and node.args
            and isinstance(node.args[0], ast.Constant)
            and isinstance(node.args[0].value, str)
        ):
            yield node.args[0].value


def modules(package: str):
    for path in sorted((ROOT / package).rglob("*.py")):
        if "migrations" not in path.relative_to(ROOT).parts:
            yield path


def test_the_project_packages_are_found():
    expected = {"accounts", "core", "experts", "privacy", "subsidies", "credit", "demo", "bench"}
    assert expected <= project_packages()


@pytest.mark.parametrize("package", sorted(ALLOWED))
def test_package_imports_only_the_layers_below_it(package):
    forbidden = project_packages() - ALLOWED[package] - {package}
    found = [
        f"{path.relative_to(ROOT)}: {name}"
        for path in modules(package)
        for name in imported_names(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        if name.split(".")[0] in forbidden
    ]
    assert not found, f"{package} imports apps above it:\n" + "\n".join(found)


def test_the_check_sees_an_import_inside_a_function():
    source = "def f():\n    from subsidies.models import Payment\n    import_module('credit.selectors')\n"
    tree = ast.parse(source)
    assert list(imported_names(tree)) == ["subsidies.models", "credit.selectors"]
