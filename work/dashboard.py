"""The daily-work panel of a staff dashboard: how many opinions wait in each queue
(new, forwarded and waiting, overdue, hot spots being followed) and the activities of
the month, each figure linked to its list. ``work_panel`` gives the context of the
template ``work/_panel.html``; the work home page shows it, and the staff dashboard
(reports) can include it the same way."""

import datetime
from urllib.parse import urlencode

from django.urls import reverse

from work.choices import Queue
from work.selectors import activity_month, can_use_work, queue_counts


def work_panel(user, *, today: datetime.date) -> dict | None:
    """The panel's figures for ``user``'s area on ``today`` (two queries), or None when
    the user may not use the activities and opinions pages (nothing to show)."""
    if not can_use_work(user):
        return None
    counts = queue_counts(user=user, today=today)
    month = activity_month(user=user, today=today)
    query = urlencode(
        {
            "date_from": month["date_from"].strftime("%d/%m/%Y"),
            "date_to": month["date_to"].strftime("%d/%m/%Y"),
        }
    )
    return {
        "today": today,
        "queues": [
            {
                "slug": queue.value,
                "label": queue.label,
                "count": counts[queue.value],
                "url": reverse("work:opinion_queue", args=[queue.value]),
                "alert": queue in (Queue.OVERDUE, Queue.HOT_SPOTS) and counts[queue.value] > 0,
            }
            for queue in Queue
        ],
        "high_hot_spots": counts["high"],
        "activities": month["count"],
        "people_reached": month["people_reached"] or 0,
        "activities_url": f"{reverse('work:activity_list')}?{query}",
    }
