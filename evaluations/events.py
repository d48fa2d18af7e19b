"""The rating events other apps listen to (the notifications app tells the people
concerned): sent once the transaction that made them commits, so nobody is told of a
step that was rolled back. The apps below never import what listens.

Each signal is sent with ``rating`` (an ``Evaluation`` or a ``MemberRating``) and
``acting_user``; a receiver's error is logged and never undoes the step.
"""

import logging

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

#: A rating sent back with a comment (it now waits at an earlier step).
rating_returned = Signal()
#: A rating decided (a level, or closed as "not rated").
rating_decided = Signal()


def announce(signal: Signal, *, rating, acting_user) -> None:
    """Send ``signal`` about ``rating`` after the current transaction commits."""

    def send():
        for receiver, result in signal.send_robust(
            sender=type(rating), rating=rating, acting_user=acting_user
        ):
            if isinstance(result, Exception):
                logger.error("rating event receiver %r failed", receiver, exc_info=result)

    transaction.on_commit(send)
