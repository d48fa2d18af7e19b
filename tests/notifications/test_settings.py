"""The SMTP settings come from the environment (docs/CONFIGURATION.md); without
EMAIL_HOST nothing is sent."""

import os
import subprocess
import sys

from tests.test_settings import ROOT

SHOW = (
    "import django, os; os.environ.setdefault('DJANGO_SETTINGS_MODULE', 'danvan.settings');"
    " django.setup(); from django.conf import settings as s; from portal.mail import"
    " email_configured; print(repr((s.EMAIL_HOST, s.EMAIL_PORT, s.EMAIL_HOST_USER,"
    " s.EMAIL_HOST_PASSWORD, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, email_configured())))"
)
NAMES = ("EMAIL_HOST", "EMAIL_PORT", "EMAIL_HOST_USER", "EMAIL_HOST_PASSWORD")


def _settings(**env):
    environment = {
        k: v
        for k, v in os.environ.items()
        if k not in {*NAMES, "EMAIL_USE_TLS", "DEFAULT_FROM_EMAIL"}
    }
    environment.update(env)
    result = subprocess.run(
        [sys.executable, "-c", SHOW], cwd=ROOT, env=environment,
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    return eval(result.stdout.strip().splitlines()[-1])  # noqa: S307 (our own repr)


def test_email_settings_come_from_the_environment():
    assert _settings() == ("", 587, "", "", True, "webmaster@localhost", False)
    assert _settings(
        EMAIL_HOST="smtp.example.vn",
        EMAIL_PORT="465",
        EMAIL_HOST_USER="danvan",
        EMAIL_HOST_PASSWORD="bi-mat",
        EMAIL_USE_TLS="false",
        DEFAULT_FROM_EMAIL="Cổng Dân vận <danvan@example.vn>",
    ) == (
        "smtp.example.vn", 465, "danvan", "bi-mat", False,
        "Cổng Dân vận <danvan@example.vn>", True,
    )  # fmt: skip
