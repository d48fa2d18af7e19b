"""gunicorn settings: ``gunicorn -c danvan/gunicorn.py danvan.wsgi``.

Every value can be overridden with the usual GUNICORN_CMD_ARGS or the variables below.
"""

import multiprocessing
import os

bind = os.environ.get("GUNICORN_BIND", "0.0.0.0:8000")
# Sync workers: the portal's requests are short database reads; two per core plus one
# is gunicorn's own advice for that shape of load.
workers = int(os.environ.get("GUNICORN_WORKERS", multiprocessing.cpu_count() * 2 + 1))
worker_class = "sync"
# Long work (imports) runs in background tasks, so a request that takes longer than
# this is a bug, not a big upload.
timeout = int(os.environ.get("GUNICORN_TIMEOUT", 30))
graceful_timeout = 30
keepalive = 5
# A worker is replaced after about 2,000 requests (a guard against slow leaks). The
# application is loaded once in the master and each worker forked from it: without
# this, every replacement imported Django and the portal again (about a second of CPU
# on a busy 2-core machine), which made the p95 of every page about 1 s and cost a
# third of the throughput (docs/PERFORMANCE.md, "Public pages against /healthz").
preload_app = True
max_requests = 2000
max_requests_jitter = 200
accesslog = "-"
errorlog = "-"
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")
