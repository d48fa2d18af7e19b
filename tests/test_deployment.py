"""The Docker image holds every app: the Dockerfile copies the whole project and
.dockerignore leaves out only local state, so a new app needs no edit of either."""

import fnmatch
import re
import tomllib
from pathlib import Path

from django.apps import apps

ROOT = Path(__file__).resolve().parent.parent


def _project_apps() -> list[str]:
    """The apps whose code lives in this repository (one top-level folder each)."""
    names = []
    for config in apps.get_app_configs():
        top = config.name.split(".")[0]
        if (ROOT / top / "__init__.py").exists() and top not in names:
            names.append(top)
    return names


def _ignored(path: str, patterns: list[str]) -> bool:
    parts = path.split("/")
    for pattern in patterns:
        pattern = pattern.removeprefix("**/")
        if any(fnmatch.fnmatch(part, pattern) for part in parts) or fnmatch.fnmatch(path, pattern):
            return True
    return False


def test_every_app_reaches_the_image():
    dockerfile = (ROOT / "Dockerfile").read_text()
    copies = re.findall(r"^COPY\s+(.+)$", dockerfile, flags=re.MULTILINE)
    assert ". ." in [c.strip() for c in copies], "the Dockerfile copies the whole project"
    patterns = [
        line.strip()
        for line in (ROOT / ".dockerignore").read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]
    app_names = _project_apps()
    assert {"accounts", "audit", "documents", "work", "units", "news"} <= set(app_names)
    for name in [*app_names, "portal", "templates", "static", "locale", "manage.py"]:
        assert not _ignored(name, patterns), f"{name} is left out of the image"
        assert not _ignored(f"{name}/models.py", patterns)


def test_every_app_is_a_package_of_the_distribution():
    """``pip install .`` installs every app (packages found, not listed one by one)."""
    from setuptools import find_packages

    find = tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["setuptools"]
    options = find["packages"]["find"]
    found = {
        p.split(".")[0]
        for p in find_packages(
            str(ROOT), include=options.get("include", ("*",)), exclude=options.get("exclude", ())
        )
    }
    assert set(_project_apps()) | {"portal"} <= found
    assert "tests" not in found
