"""Reads of criteria and ratings that depend on the user.

Every staff page, the admin and the exports take their base queryset from the
``*_visible_to(user)`` functions here, which filter with the user's scope
(``accounts.access.scope_of``) on the area path copied onto each rating: an object outside
the user's area is not in the queryset and answers 404 like a missing one.

``scope`` holds those functions and the querysets the pages open one object from;
``criteria``, ``overview`` (the units of an area with their ratings of a year), ``sheet``
(one rating's score sheet) and ``member_ratings`` (a roster's) build on them.
"""
