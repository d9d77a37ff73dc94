"""``ckan hamm worker``: CKAN's jobs worker, started once the portal answers.

The DataStore loader (ckanext-xloader) runs on this worker and fetches every file through
the portal's own URL. Started together with the web server (``make demo``, a server's boot),
the worker took the queued loads before gunicorn listened: each ended with "connection
refused" and the table preview never came. So the worker first waits for the portal's
``/healthz`` (any HTTP answer means the web server listens), at most ``--wait`` seconds;
then it starts anyway and says so.
"""
from __future__ import annotations

import time
import urllib.error
import urllib.request
from typing import Any, Callable

import click

from ckanext.hamm import config as hamm_config


def wait_for_portal(url: str, seconds: float, opener: Callable[..., Any] = urllib.request.urlopen,
                    clock: Callable[[], float] = time.monotonic,
                    sleep: Callable[[float], None] = time.sleep) -> bool:
    """True once ``url`` answers (an error status included), False after ``seconds`` without."""
    deadline = clock() + seconds
    while True:
        try:
            with opener(url, timeout=5):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            pass
        if clock() >= deadline:
            return False
        sleep(1)


@click.command("worker", short_help="CKAN's jobs worker, once the portal answers.")
@click.option("--wait", default=120, show_default=True, help="Seconds to wait for the portal.")
@click.argument("queues", nargs=-1)
def worker_command(wait: int, queues: tuple[str, ...]) -> None:
    """``ckan jobs worker`` (queue ``default`` unless QUEUES are named) after the portal's
    /healthz answers: the DataStore loader fetches files through the portal's URL."""
    from ckan.lib import jobs

    url = hamm_config.site_url() + "/healthz"
    if not wait_for_portal(url, wait):
        click.echo(f"worker: {url} did not answer within {wait} s; starting anyway", err=True)
    jobs.Worker(list(queues)).work()
