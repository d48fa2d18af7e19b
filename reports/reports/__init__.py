"""Reports as classes (django-oscar's ``ReportGenerator``; docs/STATS_API.md, "Reports").

A report knows three things and nothing else: its aggregate query, already limited to
what its reader may see (``get_queryset`` / ``rows``); who may see it
(``is_available_to``); and its columns. Output goes through separate formatters
(``CSVFormatter``, ``XLSXFormatter``, ``HTMLFormatter``), so the public statistics
pages, their downloads and the staff dashboard print the same rows the same way.

Public reports read one figure set of the open statistics API (``reports.stats``,
docs/STATS_API.md): the place is their whole scope and they hold aggregates only, never
a person. Staff reports start from the scoped selectors (``accounts.access.scope_of``
through ``*_visible_to``), so a commune officer's dashboard counts their commune and
nothing else.

``base`` holds the report, its columns and the formatters; ``public`` the statistics
pages' tables; ``staff`` what the dashboard's reports share; one module per family of
the dashboard (``coverage``, ``rosters``, ``ratings``, ``memberships``); ``dashboard``
lists them and the lists behind their figures.
"""
