"""Every write to criteria and ratings goes through here.

The rating of a unit (``Evaluation``) and of a member (``MemberRating``) follow the same
steps: the unit assesses itself → the commune Party committee proposes → district or
provincial staff decide (approve, adjust with a reason, or return one step with a
comment) → the result is locked; only provincial staff reopen it, with a reason. The
same steps serve both; unit ratings add scores per item and gate answers.

One module per part: ``steps`` (the permission and stage checks, and the steps a unit's
and a member's rating share: return, not rated, reopen), ``criteria``, ``scores`` (one
stage's score sheet), ``ratings`` (unit ratings), ``member_ratings`` and ``evidence``
(with the self-assessment page saved as one step). Who may take which step is
``evaluations.stages``.
"""
