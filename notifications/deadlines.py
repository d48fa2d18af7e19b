"""Deadlines: what is due in 3 days or late on a given day, run once a day
(``manage.py send_notifications``, docs/NOTIFICATIONS.md).

Every source yields ``Deadline``s (a thing, who can act on it, its due date, the texts);
``deadlines_notify`` tells the people once per thing and due date: 3 days before
("sắp đến hạn") and once late ("quá hạn"). A key names each of the two events, so the
command may run twice a day, or be run again after a missed day, without telling anybody
twice; a late thing is looked for up to ``LATE_WINDOW_DAYS`` after its due date, so a
few missed days are caught up.

Sources: citizens' opinions not answered (``work``: the province's number of days gives
``Opinion.due_on``), rating steps (``rating_due_dates``: the deadlines of the rating
round, evaluations.rounds), and communes' monthly reports not submitted to the province
(``report_deadlines``: due on ``DANVAN_PERIODIC_REPORT_DUE_DAY`` of the next month).
"""

import dataclasses
import datetime
import itertools
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.db.models import Q
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from evaluations.chains import ChainBook
from evaluations.models import Evaluation
from evaluations.rounds import DUE_FIELD, with_stage_due
from evaluations.stages import STEP_PERMISSION, can_take
from notifications.choices import Kind
from notifications.events import rating_key, rating_link, rating_subject
from notifications.models import Notification
from notifications.recipients import Directory
from notifications.services import notify
from portal.formats import day as day_text
from reports.periodic.models import PeriodicReport
from reports.periodic.periods import Period
from units.choices import Edition, Level
from units.models import Area
from work.choices import UNANSWERED
from work.models import Opinion

#: Days before a due date when the people are told it is near.
DUE_SOON_DAYS = 3
#: Days after a due date during which a late thing is still looked for.
LATE_WINDOW_DAYS = 7
#: Deadlines whose keys are looked up together.
BATCH = 500

TEXT_RATING_DUE = _("Bước “{stage}” của đánh giá “{subject}” {period} đến hạn ngày {due}.")
TEXT_RATING_LATE = _("Bước “{stage}” của đánh giá “{subject}” {period} đã quá hạn từ ngày {due}.")
TEXT_OPINION_DUE = _(
    "Ý kiến về {topic} của {unit} (tiếp nhận ngày {received}) đến hạn trả lời ngày {due}."
)
TEXT_REPORT_DUE = _(
    "Báo cáo công tác dân vận {period} của {area} cần gửi lên tỉnh trước ngày {due}."
)
TEXT_REPORT_LATE = _(
    "Báo cáo công tác dân vận {period} của {area} chưa gửi lên tỉnh, đã quá hạn từ ngày {due}."
)
TEXT_OPINION_LATE = _(
    "Ý kiến về {topic} của {unit} (tiếp nhận ngày {received}) đã quá hạn trả lời từ ngày {due}."
)


@dataclasses.dataclass(frozen=True)
class Deadline:
    """One thing with a due date: ``subject`` names it in the events' keys."""

    subject: str
    due_on: datetime.date
    recipients: tuple
    link: str
    due_kind: str
    late_kind: str
    due_text: str
    late_text: str


def window(day: datetime.date) -> tuple[datetime.date, datetime.date, datetime.date]:
    """(due soon, first late due date, last late due date) looked for on ``day``."""
    one = datetime.timedelta(days=1)
    return day + DUE_SOON_DAYS * one, day - LATE_WINDOW_DAYS * one, day - one


def deadlines_notify(deadlines: Iterable[Deadline], *, day: datetime.date) -> int:
    """Tell the people of each deadline due in ``DUE_SOON_DAYS`` days or passed on
    ``day``; returns the notifications made. Events already told to everybody concerned
    (a second run) are found in one query per batch, not one per deadline."""
    made = 0
    events = _events(deadlines, day)
    while batch := list(itertools.islice(events, BATCH)):
        told = set(
            Notification.objects.filter(key__in=[key for _d, key, _k, _t in batch]).values_list(
                "recipient_id", "key"
            )
        )
        for d, key, kind, text in batch:
            if all((user.pk, key) in told for user in d.recipients):
                continue
            made += len(notify(d.recipients, kind, text, d.link, key=key))
    return made


def _events(deadlines: Iterable[Deadline], day: datetime.date):
    """(deadline, key, kind, text) of each deadline due soon or late on ``day``."""
    for d in deadlines:
        if (d.due_on - day).days == DUE_SOON_DAYS:
            kind, text, event = d.due_kind, d.due_text, "due"
        elif d.due_on < day:
            kind, text, event = d.late_kind, d.late_text, "late"
        else:
            continue
        yield d, f"{d.subject}:{d.due_on.isoformat()}:{event}", kind, text


def opinion_deadlines(day: datetime.date, directory: Directory) -> Iterator[Deadline]:
    """Opinions without an answer, due in 3 days or late: told to the accounts that
    follow opinions there (``work.change_opinion``), nearest to the unit."""
    soon, first_late, last_late = window(day)
    opinions = (
        Opinion.objects.filter(status__in=UNANSWERED, received_on__lte=day)
        .filter(Q(due_on=soon) | Q(due_on__range=(first_late, last_late)))
        .select_related("unit")
        .order_by("due_on", "pk")
    )
    for opinion in opinions:
        values = {
            "topic": opinion.get_topic_display(),
            "unit": opinion.unit,
            "received": day_text(opinion.received_on),
            "due": day_text(opinion.due_on),
        }
        yield Deadline(
            subject=f"opinion:{opinion.pk}",
            due_on=opinion.due_on,
            recipients=tuple(directory.actors(opinion.area_path, "work.change_opinion")),
            link=opinion.get_absolute_url(),
            due_kind=Kind.OPINION_DUE,
            late_kind=Kind.OPINION_OVERDUE,
            due_text=str(TEXT_OPINION_DUE).format(**values),
            late_text=str(TEXT_OPINION_LATE).format(**values),
        )


def rating_due_dates(day: datetime.date) -> Iterable[tuple]:
    """(rating, due date of the step it waits at) for the open ratings whose step is due
    in ``DUE_SOON_DAYS`` days or late on ``day`` (``window``).

    The deadlines are the rating round's of the rating's criteria set
    (evaluations.rounds); ``rating_deadlines`` then tells the people who may take the
    step. Ratings of a round not opened yet on ``day`` are not told."""
    soon, first_late, last_late = window(day)
    ratings = (
        with_stage_due(Evaluation.objects.filter(stage__in=list(DUE_FIELD)))
        .filter(Q(due_on=soon) | Q(due_on__range=(first_late, last_late)))
        .exclude(criteria_set__opens_on__gt=day)
        .select_related("unit", "criteria_set")
        .order_by("due_on", "pk")
    )
    return ((rating, rating.due_on) for rating in ratings)


def rating_deadlines(day: datetime.date, directory: Directory) -> Iterator[Deadline]:
    """Rating steps due in 3 days or late: told to the accounts that may take the step
    (``evaluations.stages``), nearest to the unit."""
    chains = ChainBook()
    for rating, due_on in rating_due_dates(day):
        permission = STEP_PERMISSION.get(rating.stage)
        if permission is None:
            continue
        values = {
            "stage": rating.get_stage_display(),
            "subject": rating_subject(rating),
            "period": rating.period_label,
            "due": day_text(due_on),
        }
        yield Deadline(
            subject=f"rating:{rating_key(rating)}:{rating.stage}",
            due_on=due_on,
            recipients=tuple(
                directory.actors(
                    rating.area_path,
                    permission,
                    allowed=lambda user, rating=rating: can_take(user, rating, chains),
                )
            ),
            link=rating_link(rating),
            due_kind=Kind.RATING_DUE,
            late_kind=Kind.RATING_LATE,
            due_text=str(TEXT_RATING_DUE).format(**values),
            late_text=str(TEXT_RATING_LATE).format(**values),
        )


def report_due_on(period: Period) -> datetime.date:
    """When a commune's monthly report of ``period`` is due: the configured day of the
    next month."""
    first_next = period.date_to + datetime.timedelta(days=1)
    return first_next.replace(day=settings.DANVAN_PERIODIC_REPORT_DUE_DAY)


def _months_due(first: datetime.date, last: datetime.date) -> list[Period]:
    """The months whose report falls due between ``first`` and ``last`` (a few days)."""
    months, probe = [], first.replace(day=1)
    while probe <= last:
        previous = probe - datetime.timedelta(days=1)
        period = Period("month", previous.year, previous.month)
        if first <= report_due_on(period) <= last:
            months.append(period)
        probe = (probe + datetime.timedelta(days=32)).replace(day=1)
    return months


def report_deadlines(day: datetime.date, directory: Directory) -> Iterator[Deadline]:
    """Communes' monthly reports not yet submitted, due in 3 days or late: told to the
    accounts bound to the commune itself that write its reports (``work.view_activity``,
    the report pages' door), never to the province above (which sees who has not
    submitted on its roll-up page). Three queries whatever the number of communes."""
    soon, first_late, _last_late = window(day)
    periods = _months_due(first_late, soon)  # ``deadlines_notify`` picks the events
    if not periods:
        return
    communes = list(
        Area.objects.filter(
            path__in=directory.bound_paths(), level=Level.COMMUNE, edition=Edition.V2025
        )
        .active_on(day)
        .order_by("path")
    )
    submitted = set(
        PeriodicReport.objects.filter(
            area__in=communes, period__in=[p.code for p in periods], submitted_at__isnull=False
        ).values_list("area_id", "period")
    )
    for period in periods:
        due_on = report_due_on(period)
        for commune in communes:
            if (commune.pk, period.code) in submitted:
                continue
            recipients = tuple(directory.bound_to(commune.path, "work.view_activity"))
            if not recipients:
                continue
            values = {"period": period.label, "area": commune.name, "due": day_text(due_on)}
            yield Deadline(
                subject=f"report:{commune.path}:{period.code}",
                due_on=due_on,
                recipients=recipients,
                link=reverse("reports:periodic_edit", args=[commune.code, period.code]),
                due_kind=Kind.REPORT_DUE,
                late_kind=Kind.REPORT_LATE,
                due_text=str(TEXT_REPORT_DUE).format(**values),
                late_text=str(TEXT_REPORT_LATE).format(**values),
            )


def notify_deadlines(*, day: datetime.date) -> int:
    """The daily run: every source's deadlines on ``day``; returns the notifications
    made. One directory of every staff account serves the whole run."""
    directory = Directory()
    with translation.override(settings.LANGUAGE_CODE):
        made = deadlines_notify(opinion_deadlines(day, directory), day=day)
        made += deadlines_notify(rating_deadlines(day, directory), day=day)
        made += deadlines_notify(report_deadlines(day, directory), day=day)
    return made
