"""Production mode: refuses weak configuration, passes `check --deploy` with no warning."""

import os
import runpy
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured

ROOT = Path(__file__).resolve().parent.parent


def _manage(*args, **env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DANVAN_ENV", "DANVAN_ALLOW_ANY_HOST"}
    }
    environment.update(env)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def _check_deploy(**env):
    return _manage("check", "--deploy", "--fail-level", "WARNING", DANVAN_ENV="production", **env)


def test_production_passes_check_deploy_without_any_warning():
    """DANVAN_ENV=production with a real key and hosts: no issue at WARNING level."""
    result = _check_deploy(SECRET_KEY=secrets.token_urlsafe(50), ALLOWED_HOSTS="danvan.example.vn")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def _settings_refusal(monkeypatch, **env) -> str:
    """The message with which the settings module refuses ``env``, run in this process
    (a start-up in another process costs about 2 s of CPU): the module checks the
    environment before it sets anything up."""
    for name in ("SECRET_KEY", "DEBUG", "ALLOWED_HOSTS", "DANVAN_ENV", "DANVAN_ALLOW_ANY_HOST"):
        monkeypatch.delenv(name, raising=False)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(ImproperlyConfigured) as refused:
        runpy.run_path(str(ROOT / "danvan" / "settings.py"))
    return str(refused.value)


def test_production_refuses_to_start_without_a_real_secret_key(monkeypatch):
    """No key, or the development key, stops production at start-up: the first through
    ``manage.py``, the others where the refusal is made, the settings module."""
    weak = (
        "",
        "django-insecure-" + "x" * 60,
        "short",
        "a" * 64,  # repeated characters
        "abcdefghijklmnopqrstuvwxy" * 3,  # 25 distinct characters, one run repeated
        "0123456789" * 6,  # few distinct characters
    )
    result = _manage("check", DANVAN_ENV="production", SECRET_KEY=weak[0], ALLOWED_HOSTS="a.vn")
    assert result.returncode != 0
    assert "Production needs a real SECRET_KEY" in result.stderr
    for key in weak:
        message = _settings_refusal(
            monkeypatch, DANVAN_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="a.vn"
        )
        assert "Production needs a real SECRET_KEY" in message


def test_production_refuses_debug_and_missing_hosts(monkeypatch):
    """DEBUG on, or no ALLOWED_HOSTS, stops production at start-up."""
    key = secrets.token_urlsafe(50)
    result = _manage("check", DANVAN_ENV="production", SECRET_KEY=key, DEBUG="true")
    assert "DEBUG must be off in production" in result.stderr
    message = _settings_refusal(monkeypatch, DANVAN_ENV="production", SECRET_KEY=key)
    assert "Production needs ALLOWED_HOSTS" in message


def test_development_default_runs_on_embedded_sqlite_without_configuration():
    """With no environment at all the app uses SQLite under var/."""
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', "
            "'danvan.settings'); django.setup(); from django.conf import settings; "
            "db = settings.DATABASES['default']; print(db['ENGINE'], db['NAME'])",
        ],
        cwd=ROOT,
        env=environment,
        capture_output=True,
        text=True,
        timeout=60,
    )
    engine, name = result.stdout.split()
    assert engine == "django.db.backends.sqlite3"
    assert Path(name) == ROOT / "var" / "danvan.sqlite3"


def test_production_static_files_collect_with_hashed_names(tmp_path):
    """The Dockerfile's collectstatic step works: whitenoise's manifest is written."""
    result = _manage(
        "collectstatic",
        "--noinput",
        DANVAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="build",
        STATIC_ROOT=str(tmp_path),
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "staticfiles.json").exists()
    assert list(tmp_path.glob("css/portal.*.css"))


def test_gunicorn_serves_the_app_with_its_config_file(tmp_path):
    """gunicorn -c danvan/gunicorn.py danvan.wsgi answers /healthz in production mode."""
    import socket
    import time
    import urllib.request

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    environment = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "DANVAN_ENV", "SECRET_KEY"}
    }
    environment.update(
        DANVAN_ENV="production",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="127.0.0.1",
        GUNICORN_BIND=f"127.0.0.1:{port}",
        GUNICORN_WORKERS="1",
        STATIC_ROOT=str(tmp_path),
    )
    server = subprocess.Popen(
        [str(Path(sys.executable).parent / "gunicorn"), "-c", "danvan/gunicorn.py",
         "danvan.wsgi"],
        cwd=ROOT, env=environment, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=5) as r:
                    assert r.status == 200
                    assert b'"status": "ok"' in r.read()
                    break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise
                time.sleep(0.3)
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_production_refuses_a_wildcard_host_without_the_opt_in(monkeypatch):
    key = secrets.token_urlsafe(50)
    message = _settings_refusal(
        monkeypatch, DANVAN_ENV="production", SECRET_KEY=key, ALLOWED_HOSTS="*"
    )
    assert "ALLOWED_HOSTS=* answers any host name" in message
    result = _check_deploy(SECRET_KEY=key, ALLOWED_HOSTS="*", DANVAN_ALLOW_ANY_HOST="true")
    assert result.returncode == 0, result.stdout + result.stderr
