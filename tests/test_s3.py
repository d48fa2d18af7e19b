"""Media on S3-compatible object storage (MEDIA_STORAGE=s3, portal/storage.py), against a
real S3-protocol server started here: moto's server mode (``moto[server]``), on
127.0.0.1 at a free port, stopped at the end of the module."""

import io
import os
import socket
import subprocess
import sys
from pathlib import Path

import boto3
import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image as PILImage

from accounts.choices import StaffRole
from tests.factories import make_staff, published_document

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
BUCKET = "danvan-media-test"
CREDENTIALS = {"aws_access_key_id": "test", "aws_secret_access_key": "test"}


@pytest.fixture(scope="module")
def s3_server():
    from moto.server import ThreadedMotoServer

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", **CREDENTIALS)
    client.create_bucket(Bucket=BUCKET)
    yield endpoint, client
    server.stop()


@pytest.fixture
def s3_media(settings, s3_server, monkeypatch):
    endpoint, client = s3_server
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "test")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "test")
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "portal.storage.MediaStorage",
            "OPTIONS": {
                "bucket_name": BUCKET,
                "endpoint_url": endpoint,
                "region_name": "us-east-1",
                "default_acl": None,
                "file_overwrite": False,
                "querystring_auth": False,
            },
        },
    }
    return client


def _keys(client) -> set[str]:
    listing = client.list_objects_v2(Bucket=BUCKET)
    return {item["Key"] for item in listing.get("Contents", [])}


def test_the_local_disk_is_the_default_and_s3_is_chosen_by_settings():
    code = (
        "import django; django.setup(); from django.conf import settings; "
        "d = settings.STORAGES['default']; print(d['BACKEND'], d.get('OPTIONS', {}))"
    )
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MEDIA_STORAGE")}
    environment["DJANGO_SETTINGS_MODULE"] = "danvan.settings"
    local = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    assert local.stdout.split()[0] == "django.core.files.storage.FileSystemStorage"
    environment.update(
        MEDIA_STORAGE="s3",
        AWS_STORAGE_BUCKET_NAME="portal-media",
        AWS_S3_ENDPOINT_URL="http://127.0.0.1:9000",
    )
    s3 = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=environment, capture_output=True,
        text=True, check=True,
    )  # fmt: skip
    printed = s3.stdout.strip().splitlines()[-1]
    assert printed.startswith("portal.storage.MediaStorage")
    assert "'bucket_name': 'portal-media'" in printed
    assert "'endpoint_url': 'http://127.0.0.1:9000'" in printed


def test_a_news_picture_goes_to_the_bucket_and_is_served_by_the_portal(client, s3_media):
    """The picture's variants are objects of the bucket; the page's address is the
    portal's own (/media/news/...), which streams the object."""
    from news.services import image_create

    editor = make_staff(StaffRole.NEWS_EDITOR, username="bien_tap")
    buffer = io.BytesIO()
    PILImage.new("RGB", (1600, 900), (200, 30, 30)).save(buffer, format="PNG")
    upload = SimpleUploadedFile("anh.png", buffer.getvalue(), content_type="image/png")
    image = image_create(upload=upload, alt="Ảnh thử", acting_user=editor)
    keys = _keys(s3_media)
    assert keys and all(key.startswith("news/") for key in keys)
    url = image.variant(800)
    assert url.startswith("/media/news/")
    name = url.removeprefix("/media/")
    assert name in keys
    assert not (Path(os.fspath(settings.MEDIA_ROOT)) / name).exists()
    response = client.get(url)
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert body == s3_media.get_object(Bucket=BUCKET, Key=name)["Body"].read()
    assert response["Content-Type"] == "image/jpeg"
    assert client.get("/media/news/khong-co.jpg").status_code == 404
    assert client.get("/media/news/../documents/x.jpg").status_code == 404


def test_a_documents_file_goes_to_the_bucket_and_is_downloaded(client, s3_media):
    from documents.services import attachment_add

    editor = make_staff(StaffRole.NEWS_EDITOR, username="bien_tap")
    document = published_document(editor)
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n%%EOF\n"
    attachment = attachment_add(
        document=document,
        upload=SimpleUploadedFile("Hướng dẫn.pdf", pdf, content_type="application/pdf"),
        acting_user=editor,
    )
    assert attachment.file.name in _keys(s3_media)
    assert default_storage.exists(attachment.file.name)
    response = client.get(reverse("documents:file", args=[document.slug, attachment.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == pdf
