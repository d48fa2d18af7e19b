"""Two application servers behind one address, as docs/DEPLOYMENT.md lays them out:
two gunicorn processes, each in its own working directory with its own (empty)
MEDIA_ROOT, against the same PostgreSQL database, Redis (cache and sessions) and S3
bucket (moto's server, tests/test_s3.py). What one server does, the other sees: a
session, an upload, a roster edit in the statistics, a lockout.

PostgreSQL only (marker ``postgres``): the servers need a database other processes can
reach. The test makes its own database on the local server (a copy of the migrated test
database) and drops it."""

import datetime
import http.client
import io
import json
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import pytest
import redis
from django.conf import settings
from PIL import Image as PILImage

from tests.test_s3 import BUCKET, s3_server  # noqa: F401 (the fixture)

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "mat-khau-thu-nghiem-2026"  # tests.factories.UserFactory's
REDIS_URL = "redis://127.0.0.1:6379/9"

# The test database is copied for the servers: set up even when this module runs alone
# (pytest-django makes it only for tests that ask for it).
pytestmark = [pytest.mark.postgres, pytest.mark.django_db]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class Browser:
    """One reader's cookies, sent to whichever server it asks (as behind a balancer)."""

    def __init__(self):
        self.cookies: dict[str, str] = {}

    def request(self, port, method, path, body=None, headers=None):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = dict(headers or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        connection.request(method, path, body=body, headers=headers)
        response = connection.getresponse()
        data = response.read()
        for header, value in response.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name] = rest.split(";", 1)[0]
        connection.close()
        return response.status, dict(response.getheaders()), data

    def csrf(self, port, path) -> str:
        _status, _headers, body = self.request(port, "GET", path)
        return re.search(rb'name="csrfmiddlewaretoken" value="([^"]+)"', body).group(1).decode()

    def post_form(self, port, path, fields, *, form_path=None):
        token = self.csrf(port, form_path or path)
        body = urlencode({**fields, "csrfmiddlewaretoken": token})
        return self.request(
            port, "POST", path, body,
            {"Content-Type": "application/x-www-form-urlencoded",
             "Referer": f"http://127.0.0.1:{port}{path}"},
        )  # fmt: skip


@pytest.fixture
def environment(s3_server):  # noqa: F811
    """The servers' database is a copy (a dump restored) of this worker's test database:
    migrated already (about 15 s of ``migrate`` saved) and empty of rows but what the
    migrations and ``post_migrate`` leave, as every test leaves it."""
    endpoint, _client = s3_server
    name = f"danvan_two_{uuid.uuid4().hex[:8]}"
    base = settings.DATABASES["default"]
    url = f"postgres://{base['USER']}@{base['HOST'] or '127.0.0.1'}:{base['PORT'] or 5432}/{name}"
    pg = ["-h", base["HOST"] or "127.0.0.1", "-p", str(base["PORT"] or 5432), "-U", base["USER"]]
    subprocess.run(["createdb", *pg, name], check=True)  # noqa: S607
    # A dump, not ``createdb --template``: a template must have no other session, and a
    # worker may still hold one from another thread.
    dump = subprocess.run(
        ["pg_dump", *pg, "--no-owner", "--no-privileges", base["NAME"]],  # noqa: S607
        check=True, capture_output=True, timeout=300,
    ).stdout  # fmt: skip
    subprocess.run(
        ["psql", *pg, "-q", "-v", "ON_ERROR_STOP=1", "-d", name],  # noqa: S607
        input=dump, check=True, capture_output=True, timeout=300,
    )  # fmt: skip
    prefix = f"danvan-two-{uuid.uuid4().hex}"
    env = {k: v for k, v in os.environ.items() if k not in {"DANVAN_ENV", "DEBUG"}}
    env.update(
        DATABASE_URL=url,
        DEBUG="false",
        ALLOWED_HOSTS="127.0.0.1",
        LOG_LEVEL="WARNING",
        CACHE_URL=REDIS_URL,
        CACHE_KEY_PREFIX=prefix,
        SESSION_STORE="cache",
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME=BUCKET,
        AWS_S3_ENDPOINT_URL=endpoint,
        AWS_S3_REGION_NAME="us-east-1",
        AWS_ACCESS_KEY_ID="test",
        AWS_SECRET_ACCESS_KEY="test",
        TASKS_BACKEND="immediate",
        PYTHONPATH=str(ROOT),
        DJANGO_SETTINGS_MODULE="danvan.settings",
    )
    try:
        yield env
    finally:
        subprocess.run(["dropdb", *pg, "--if-exists", "--force", name], check=True)  # noqa: S607
        server = redis.Redis.from_url(REDIS_URL)
        for key in server.scan_iter(f"{prefix}:*"):
            server.delete(key)


def manage(env, *args) -> str:
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    return result.stdout.strip()


def start_server(env, port: int, workdir: Path) -> subprocess.Popen:
    media = workdir / "media"
    media.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", str(ROOT / "danvan" / "gunicorn.py"),
         "--workers", "1", "danvan.wsgi"],
        cwd=workdir,
        env=dict(env, GUNICORN_BIND=f"127.0.0.1:{port}", MEDIA_ROOT=str(media),
                 STATIC_ROOT=str(workdir / "static")),
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            if Browser().request(port, "GET", "/healthz")[0] == 200:
                return process
        except OSError:
            time.sleep(0.2)
    os.killpg(process.pid, signal.SIGKILL)
    raise AssertionError("gunicorn did not start")


def stop_server(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)


SETUP = """
import datetime
from django.core.management import call_command
call_command("load_divisions", "--edition", "2025")
call_command("generate_demo", "--scale", "small")
from django.db.models import Q
from django.utils import timezone
from members.models import Membership
from tests.factories import make_staff
make_staff("system_admin", username="hai_may")
make_staff("system_admin", username="khoa_thu")
day = timezone.localdate() - datetime.timedelta(days=1)
seat = (Membership.objects.filter(Q(start_date__isnull=True) | Q(start_date__lt=day),
        end_date__isnull=True, unit__kind="bloc").order_by("pk").first())
print(seat.pk, day.strftime("%d/%m/%Y"))
"""


def test_two_servers_share_sessions_uploads_figures_and_lockouts(environment):
    env = environment
    # The divisions, the demo and two accounts in one start-up of Django.
    seat, end_day = manage(env, "shell", "-c", SETUP).splitlines()[-1].split()
    ports = _free_port(), _free_port()
    with tempfile.TemporaryDirectory() as a_dir, tempfile.TemporaryDirectory() as b_dir:
        servers = [start_server(env, ports[0], Path(a_dir)), None]
        try:
            servers[1] = start_server(env, ports[1], Path(b_dir))
            a, b = ports
            # A session made on A works on B.
            browser = Browser()
            status, headers, _ = browser.post_form(
                a, "/tai-khoan/login/", {"username": "hai_may", "password": PASSWORD}
            )
            assert status == 302, status
            status, headers, _ = browser.request(b, "GET", "/can-bo/")
            assert status == 200, (status, headers.get("Location"))

            # An upload on A is served by B (neither has it on its disk).
            picture = io.BytesIO()
            PILImage.new("RGB", (1200, 800), (20, 120, 40)).save(picture, format="PNG")
            token = browser.csrf(a, "/can-bo/tin-tuc/viet-bai/")
            boundary = uuid.uuid4().hex
            body = (
                (
                    f'--{boundary}\r\nContent-Disposition: form-data; name="alt"\r\n\r\nẢnh\r\n'
                    f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
                    f'filename="anh.png"\r\nContent-Type: image/png\r\n\r\n'
                ).encode()
                + picture.getvalue()
                + f"\r\n--{boundary}--\r\n".encode()
            )
            status, _headers, data = browser.request(
                a, "POST", "/can-bo/tin-tuc/anh/", body,
                {"Content-Type": f"multipart/form-data; boundary={boundary}",
                 "X-CSRFToken": token, "Referer": f"http://127.0.0.1:{a}/can-bo/tin-tuc/"},
            )  # fmt: skip
            assert status == 201, data[:500]
            url = json.loads(data)["src"]
            assert not list(Path(a_dir, "media").rglob("*.*"))
            status, headers, served = Browser().request(b, "GET", url)
            assert status == 200 and headers["Content-Type"] == "image/jpeg"
            assert served[:3] == b"\xff\xd8\xff"

            # A roster edit on A refreshes the statistics on B (cached there before).
            reader = Browser()
            api = f"/api/v1/stats/?date={datetime.date.today().isoformat()}"
            before = json.loads(reader.request(b, "GET", api)[2])
            status, headers, page = browser.post_form(
                a, f"/can-bo/thanh-vien/{seat}/thoi/",
                {"end_date": end_day, "end_reason": "chuyển công tác"},
            )  # fmt: skip
            assert status == 302, page[-2000:]
            after = json.loads(reader.request(b, "GET", api)[2])
            assert after["bloc_members"] == before["bloc_members"] - 1

            # A lockout on A holds on B.
            attacker = Browser()
            for _attempt in range(5):
                attacker.post_form(
                    a, "/tai-khoan/login/", {"username": "khoa_thu", "password": "sai-mat-khau"}
                )
            status, _headers, _ = Browser().post_form(
                b, "/tai-khoan/login/", {"username": "khoa_thu", "password": PASSWORD}
            )
            assert status == 429
        finally:
            for server in servers:
                if server is not None:
                    stop_server(server)
