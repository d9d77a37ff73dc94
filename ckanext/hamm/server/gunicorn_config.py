"""gunicorn settings of the portal (``--config python:ckanext.hamm.server.gunicorn_config``).

Several worker processes, each answering one request at a time: CKAN's request
handling is mostly Python, so processes, not threads, use both cores. The app
is loaded once before forking (``preload_app``) so workers share its memory and
start in a fraction of a second; each worker then opens its own database
connections (``ckanext/hamm/forking.py`` drops the inherited ones).
"""
from __future__ import annotations

import multiprocessing
import os

bind = [f"{os.environ.get('HOST', '127.0.0.1')}:{os.environ.get('PORT', '5000')}"]
workers = int(os.environ.get("WEB_CONCURRENCY") or multiprocessing.cpu_count() * 2 + 1)
worker_class = "sync"
preload_app = True
timeout = int(os.environ.get("WEB_TIMEOUT") or 60)
graceful_timeout = 20
keepalive = 5
# A worker is replaced after this many requests, so a slow leak never grows unbounded.
max_requests = 2000
max_requests_jitter = 200
# Request limits: line, header count and size (the body limit is CKAN's MAX_CONTENT_LENGTH).
limit_request_line = 8190
limit_request_fields = 100
limit_request_field_size = 8190
# X-Forwarded-Proto (https) counts only from nginx on this host, never from anyone ("*"); gunicorn
# would otherwise take FORWARDED_ALLOW_IPS from the environment. The client address for the
# rate limits is chosen by the portal itself (ckanext.hamm.security.trusted_proxies).
forwarded_allow_ips = "127.0.0.1,::1"
accesslog = "-"
access_log_format = '%(h)s "%(r)s" %(s)s %(b)s %(M)sms'
errorlog = "-"
proc_name = "ckan-hamm-web"

