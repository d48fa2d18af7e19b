"""The English catalogue covers every translatable string, and translations take effect.

The portal is Vietnamese first: the msgids are the Vietnamese texts and
locale/en/LC_MESSAGES/django.po holds the English. A string wrapped for translation
without an English entry would show in Vietnamese on the English pages, so the first test
extracts every message the way ``makemessages`` does (Python files with Django's
keywords; templates through ``templatize`` and then the same Python extractor), in pure
Python with Babel (no GNU gettext), and lists those missing from the catalogue.

To fix a failure: ``python manage.py makemessages -l en --no-obsolete``, translate the
empty and fuzzy entries of the .po file, then ``make messages`` (docs/CONFIGURATION.md).
"""

import io
from pathlib import Path

import pytest
from babel.messages.extract import extract
from babel.messages.pofile import read_po
from django.conf import settings
from django.utils import translation
from django.utils.translation.template import templatize

ROOT = Path(settings.BASE_DIR)
CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
#: Folders never scanned (makemessages is run with the same in mind).
EXCLUDED_DIRS = {
    ".venv", "node_modules", "migrations", "tests", "bench", "static", "staticfiles",
    "var", "locale", "docs", "__pycache__", ".git",
}  # fmt: skip
TEMPLATE_SUFFIXES = {".html", ".txt"}

#: Django's gettext functions in Babel's keyword spec (``(1, "c")``: the context).
KEYWORDS = {
    "_": None,
    "gettext": None,
    "gettext_lazy": None,
    "gettext_noop": None,
    "ngettext": (1, 2),
    "ngettext_lazy": (1, 2),
    "pgettext": ((1, "c"), 2),
    "pgettext_lazy": ((1, "c"), 2),
    "npgettext": ((1, "c"), 2, 3),
    "npgettext_lazy": ((1, "c"), 2, 3),
}


def _project_files():
    for path in sorted(ROOT.rglob("*")):
        relative = path.relative_to(ROOT)
        if any(part in EXCLUDED_DIRS or part.endswith(".egg-info") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix == ".py" or path.suffix in TEMPLATE_SUFFIXES):
            yield path


def _messages(path: Path):
    """(msgid, context, where) of every translatable message of one file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix in TEMPLATE_SUFFIXES:
        if "{%" not in text:
            return
        text = _python_of_template(text, str(path))
    found = extract("python", io.BytesIO(text.encode("utf-8")), keywords=KEYWORDS)
    for lineno, message, _comments, context in found:
        msgid = message[0] if isinstance(message, tuple | list) else message
        if msgid:
            yield msgid, context, f"{path.relative_to(ROOT)}:{lineno}"


def _python_of_template(text: str, origin: str) -> str:
    """What makemessages hands to xgettext for a template: ``templatize``'s output, whose
    gettext calls each fit on one line. The template's indentation stays in it, which
    Python's tokenizer (unlike xgettext) refuses, so the lines are left-aligned."""
    return "\n".join(line.lstrip() for line in templatize(text, origin=origin).split("\n"))


def _translated(catalogue, msgid: str, context: str | None) -> bool:
    entry = catalogue.get(msgid, context=context)
    if entry is None or entry.fuzzy:
        return False
    strings = entry.string if isinstance(entry.string, tuple | list) else [entry.string]
    return all(strings)


def test_every_message_has_an_english_translation():
    with CATALOGUE.open("rb") as handle:
        catalogue = read_po(handle)
    missing, seen = [], set()
    for path in _project_files():
        for msgid, context, where in _messages(path):
            if (msgid, context) in seen:
                continue
            seen.add((msgid, context))
            if not _translated(catalogue, msgid, context):
                missing.append(f"{where}: {f'[{context}] ' if context else ''}{msgid!r}")
    assert len(seen) > 500, "the extraction found too few messages: is the scan broken?"
    assert not missing, (
        f"{len(missing)} message(s) without an English translation in {CATALOGUE.name} "
        "(run makemessages -l en, translate, make messages):\n" + "\n".join(missing)
    )


def test_templatized_templates_are_extracted():
    """The template half of the scan works: a {% translate %} and a blocktranslate with a
    placeholder come out as makemessages writes them."""
    source = (
        "{% load i18n %}{% translate 'Tin tức' %}"
        "{% blocktranslate with n=count %}Có {{ n }} tin{% endblocktranslate %}"
    )
    found = [m for m, _c, _w in _messages_of_text(source)]
    assert found == ["Tin tức", "Có %(n)s tin"]


def _messages_of_text(source: str):
    text = _python_of_template(source, "inline.html")
    for _lineno, message, _comments, context in extract(
        "python", io.BytesIO(text.encode("utf-8")), keywords=KEYWORDS
    ):
        yield message, context, "inline"


# --- Behaviour: the same strings in English and in Vietnamese ---------------------------


@pytest.mark.django_db
def test_service_error_follows_the_language():
    from django.core.exceptions import ValidationError

    from members.models import Person
    from members.services import person_merge

    person = Person(pk=1, full_name="Nguyễn Văn A")

    def message() -> str:
        with pytest.raises(ValidationError) as caught:
            person_merge(keep=person, duplicate=person)
        return caught.value.messages[0]

    assert message() == "Không thể gộp một người với chính người đó."
    with translation.override("en"):
        assert message() == "A person cannot be merged with themselves."
    assert message() == "Không thể gộp một người với chính người đó."


@pytest.mark.django_db
def test_import_errors_are_plain_text_in_the_active_language():
    import json

    from members.imports import roster_plan
    from members.tasks import plan_to_dict

    plan = roster_plan(b"", filename="trong.xlsx")
    assert [e.message for e in plan.errors] == ["Tệp rỗng, không có dữ liệu."]
    with translation.override("en"):
        plan = roster_plan(b"", filename="empty.xlsx")
    message = plan.errors[0].message
    assert type(message) is str  # stored as JSON in ImportJob.result: no lazy proxy
    assert message == "The file is empty: it has no data."
    assert json.dumps(plan_to_dict(plan))


@pytest.mark.django_db
def test_stats_page_label_follows_the_language_cookie(client):
    page = client.get("/thong-ke/").content.decode()
    assert "Toàn quốc" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get("/thong-ke/").content.decode()
    assert "Nationwide" in page
    assert "Toàn quốc" not in page


def test_openapi_description_is_translated_and_json_ready():
    import json

    from reports.openapi import openapi_schema

    assert openapi_schema()["paths"]["/api/v1/stats/"]["get"]["tags"] == ["Thống kê"]
    with translation.override("en"):
        schema = openapi_schema()
    assert schema["info"]["title"].startswith("Open statistics API")
    assert schema["components"]["schemas"]["RatingYear"]["properties"]["1"]["description"] == (
        "Units rated level 1."
    )
    json.dumps(schema)
