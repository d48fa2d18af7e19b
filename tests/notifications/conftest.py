"""Accounts around commune A's bloc, its criteria, and a real SMTP server in-process."""

import email
import email.policy
import socket

import pytest
from aiosmtpd.controller import Controller

from accounts.choices import StaffRole
from evaluations.services.criteria import criteria_set_create, criteria_set_issue
from tests.evaluations.conftest import GATES, GROUPS
from tests.factories import make_staff


@pytest.fixture
def officer(area_tree):
    return make_staff(
        StaffRole.COMMUNE_OFFICER,
        [area_tree["commune"]],
        username="xa",
        first_name="An",
        last_name="Nguyễn Văn",
        email="an.nguyen@example.vn",
    )


@pytest.fixture
def sibling_officer(area_tree):
    return make_staff(StaffRole.COMMUNE_OFFICER, [area_tree["sibling_commune"]], username="xa2")


@pytest.fixture
def district_staff(area_tree):
    return make_staff(StaffRole.DISTRICT_STAFF, [area_tree["district"]], username="huyen")


@pytest.fixture
def province_staff(area_tree):
    return make_staff(
        StaffRole.PROVINCE_STAFF,
        [area_tree["province"]],
        username="tinh",
        first_name="Bình",
        last_name="Trần Thị",
        email="binh.tran@example.vn",
    )


@pytest.fixture
def bloc_criteria(area_tree, province_staff):
    criteria = criteria_set_create(
        acting_user=province_staff,
        province=area_tree["province"],
        year=2026,
        subject="bloc",
        title="Tiêu chí đánh giá Khối dân vận năm 2026",
        groups=GROUPS,
        gates=GATES,
    )
    return criteria_set_issue(acting_user=province_staff, criteria_set=criteria)


class Inbox:
    """What the SMTP server received: parsed messages."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.original_content, policy=email.policy.default)
        )
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def smtp(settings):
    """A real SMTP server on a free local port, and the settings pointing at it."""
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port())
    controller.start()
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST = "127.0.0.1"
    settings.EMAIL_PORT = controller.port
    settings.EMAIL_USE_TLS = False
    settings.EMAIL_HOST_USER = ""
    settings.EMAIL_HOST_PASSWORD = ""
    settings.DEFAULT_FROM_EMAIL = "danvan@example.vn"
    settings.DANVAN_SITE_URL = "https://danvan.example.vn"
    yield inbox
    controller.stop()
