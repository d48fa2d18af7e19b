"""Periodic reports (báo cáo định kỳ) of a commune or a province of the 2025 map: the
period (``periods``), the figures from the records (``figures``) and the Word document
in the Party's layout (``document``); ``manage.py periodic_report`` writes it
(CONTRACTS section 2; docs/WORK.md, "Periodic reports")."""
