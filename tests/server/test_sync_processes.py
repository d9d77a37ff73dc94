"""``ckan hamm rvr sync`` as cron runs it: one at a time, and a run killed with its database ends."""
from __future__ import annotations

import json

from ckanext.hamm import devstack
from ckanext.hamm.demo.fake_rvr import FakeRVR
from ckanext.hamm.harvesters.cli import ALREADY_RUNNING, DATABASE_GONE


def make_source(stack, name: str, fake: FakeRVR, org: str) -> None:
    """A hamm_rvr source through ckanext-harvest's command line (no web server needed).

    The command creates the source, then fails printing it (ckanext-harvest 1.6.3), so
    the test checks the table instead of the exit code.
    """
    stack.ckan("harvester", "source", "create", name, fake.url, "hamm_rvr", name, "true", "umweltamt",
               "MANUAL", json.dumps({"organizations": [org]}), check=False)
    assert stack.sql("SELECT 1 FROM harvest_source s JOIN package p ON p.id = s.id WHERE p.name = %s", name)


def jobs_of(stack, name: str) -> list[tuple]:
    return stack.sql("SELECT j.id, j.status FROM harvest_job j JOIN package p ON p.id = j.source_id "
                     "WHERE p.name = %s ORDER BY j.created", name)


def test_a_second_sync_of_the_same_source_says_so_and_changes_nothing(stack):
    with FakeRVR(120, org="twice") as fake:
        make_source(stack, "rvr-twice", fake, "twice")
        first = stack.popen("hamm", "rvr", "sync", "--source", "rvr-twice")
        second = stack.popen("hamm", "rvr", "sync", "--source", "rvr-twice")
        outputs = [(p.wait(180), p.stdout.read()) for p in (first, second)]
    codes = sorted(code for code, _ in outputs)
    refused = [out for code, out in outputs if code != 0]
    assert codes[0] == 0 and codes[1] != 0, outputs
    assert ALREADY_RUNNING in refused[0]
    assert "Traceback" not in refused[0]
    assert [status for _, status in jobs_of(stack, "rvr-twice")] == ["Finished"]


def test_sync_killed_with_its_database_ends_and_the_next_sync_runs(stack):
    with FakeRVR(200, org="killed") as fake:
        make_source(stack, "rvr-killed", fake, "killed")
        sync = stack.popen("hamm", "rvr", "sync", "--source", "rvr-killed")
        output = []
        for line in sync.stdout:  # wait until the import is under way
            output.append(line)
            if "Übernehmen" in line:
                break
        assert "Übernehmen" in "".join(output), "".join(output)
        assert devstack.stop_postgres(stack.state)  # fast shutdown: every connection is cut
        output.append(sync.stdout.read())
        assert sync.wait(120) != 0
        # The log may name the failed import; the command itself ends with words, not a traceback.
        last_line = "".join(output).strip().splitlines()[-1]
        assert last_line == f"Error: {DATABASE_GONE}", "".join(output)[-3000:]

        stack.start_services()
        (job_id, status), = jobs_of(stack, "rvr-killed")
        assert status == "Running"  # what the killed process left behind

        again = stack.ckan("hamm", "rvr", "sync", "--source", "rvr-killed", check=False)
    assert again.returncode == 0, again.stdout + again.stderr
    assert "Fehler" in again.stdout and " 0 Fehler" in again.stdout
    jobs = jobs_of(stack, "rvr-killed")
    assert [status for _, status in jobs] == ["Finished", "Finished"]
    messages = [row[0] for row in stack.sql(
        "SELECT message FROM harvest_gather_error WHERE harvest_job_id = %s", job_id)]
    assert any(m.startswith("Abgebrochen: der Übernahmeprozess endete unerwartet") for m in messages), messages
    imported = stack.sql("SELECT count(*) FROM harvest_object WHERE harvest_source_id = "
                         "(SELECT id FROM package WHERE name = 'rvr-killed') AND current")[0][0]
    assert imported == 200
