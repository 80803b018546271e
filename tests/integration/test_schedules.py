import time

from atrium import manifest
from atrium.identity import signing_keys
from atrium_local.provision import Provisioned
from atrium_local.worker import Worker, run_schedule


def test_run_schedule_runs_a_declared_schedule_with_the_scheduler_payload(aws: Provisioned) -> None:
    before = len(signing_keys.keyset(fresh=True))
    result = run_schedule("identity.rotate_signing_keys")
    assert result["kid"].startswith("key_")
    assert len(signing_keys.keyset(fresh=True)) == before + 1


def test_the_worker_timer_fires_due_jobs_only(aws: Provisioned) -> None:
    worker = Worker(aws)
    names = [spec.name for spec in manifest.schedules()]
    before = len(signing_keys.keyset(fresh=True))
    worker._fire_due({name: time.monotonic() + 3600 for name in names})
    assert len(signing_keys.keyset(fresh=True)) == before
    due = dict.fromkeys(names, time.monotonic() - 1)
    worker._fire_due(due)
    assert len(signing_keys.keyset(fresh=True)) == before + 1
    assert all(at > time.monotonic() for at in due.values())  # rescheduled one period ahead
