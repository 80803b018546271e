"""The audit chain under concurrency and over time: many writers, racing chainers, retention."""

import threading
from datetime import UTC, datetime, timedelta
from typing import Any

import boto3
import pytest

from atrium.audit import chaining, checkpoints, retention, verification
from atrium.audit.models import ChainHead
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Envelope, Ref
from atrium.kernel.store.audit import AuditItem
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, PrincipalType, tenant_scope

WRITERS = 50
CHAINERS = 4


def _write(tenant_id: str, number: int) -> None:
    with tenant_scope(tenant_id):
        uow = UnitOfWork(tenant_id, Ref(type="user", id=f"usr_{number}"), RequestInfo(request_id=f"req_{number}"))
        uow.record("thing.written", subject=Ref(type="thing", id=str(number)), data={}, emit=False)
        uow.commit()


def _all_at_once(count: int, work: Any) -> list[Any]:
    start, results, errors = threading.Barrier(count), [None] * count, []

    def run(index: int) -> None:
        start.wait()
        try:
            results[index] = work(index)
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return results


def _entries(tenant_id: str) -> list[AuditItem]:
    """The tenant's audit entries, read from the whole table (a Scan, which no function may make)."""
    raw = boto3.client("dynamodb", region_name=settings().region).scan(TableName=settings().table_name)["Items"]
    entries = [AuditItem.from_raw_data(item) for item in raw if item.get("entity") == {"S": AuditItem.type_name()}]
    return [entry for entry in entries if entry.tenant_id == tenant_id]


@pytest.fixture
def tenant_id(aws: Any) -> str:
    return ids.new_id("ten")


def test_fifty_writers_and_racing_chainers_make_one_linear_chain(tenant_id: str) -> None:
    _all_at_once(WRITERS, lambda number: _write(tenant_id, number))
    runs = _all_at_once(CHAINERS, lambda _: _chain(tenant_id))
    assert sum(run.chained for run in runs) == WRITERS  # each entry chained by exactly one run
    entries = _entries(tenant_id)
    assert sorted(int(entry.seq or 0) for entry in entries) == list(range(1, WRITERS + 1))
    assert {entry.targets[0].id for entry in entries} == {str(number) for number in range(WRITERS)}
    with tenant_scope(tenant_id):
        report = verification.verify(tenant_id)
        assert int(ChainHead.find_head(tenant_id).seq) == WRITERS
    assert report.intact and report.entries_verified == WRITERS and report.pending == 0


def test_a_chainer_committing_during_verification_is_not_tampering(
        tenant_id: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The chainer commits between verification's read of the head and its walk: the walk finds an
    entry past that head, which a report of one state of the chain must not call altered."""
    _write(tenant_id, 1)
    _chain(tenant_id)
    _write(tenant_id, 2)
    read_all, commits = checkpoints.read_all, list[chaining.ChainRun]()

    def chain_then_read(tenant: str) -> Any:
        if not commits:
            commits.append(chaining.chain_pending(tenant))
        return read_all(tenant)

    monkeypatch.setattr(checkpoints, "read_all", chain_then_read)
    with tenant_scope(tenant_id):
        report = verification.verify(tenant_id)
    assert [run.chained for run in commits] == [1]
    assert report.findings == [] and report.head_seq == 2 and report.entries_verified == 2 and report.pending == 0


def _chain(tenant_id: str) -> chaining.ChainRun:
    with tenant_scope(tenant_id):
        return chaining.chain_pending(tenant_id)


def test_entries_are_kept_for_the_retention_and_a_change_restamps_them(tenant_id: str) -> None:
    with clock.frozen(datetime(2026, 1, 10, tzinfo=UTC)):
        _write(tenant_id, 1)
        _chain(tenant_id)
        (entry,) = _entries(tenant_id)
        assert entry.expires_at is not None
        assert entry.expires_at - entry.created_at >= timedelta(days=settings().audit_retention_days, seconds=-1)
        owner = Principal(type=PrincipalType.USER, id="usr_owner", tenant_id=tenant_id, permissions=frozenset({"*"}))
        with tenant_scope(tenant_id):
            retention.change(owner, 730, 0, RequestInfo())
            retention.restamp(Envelope(id="evt_1", type=retention.RETENTION_CHANGED, tenant_id=tenant_id,
                                       occurred_at=clock.now(), actor=Ref(type="user", id="usr_owner"),
                                       subject=Ref(type="audit_settings", id=tenant_id), data={}))
        restamped = next(e for e in _entries(tenant_id) if e.id == entry.id)
        assert restamped.expires_at is not None
        assert restamped.expires_at - restamped.created_at >= timedelta(days=730, seconds=-1)
        assert restamped.chain_hash == entry.chain_hash  # the TTL is not part of what the chain proves


def _delete_first(tenant_id: str, count: int) -> None:
    client = boto3.client("dynamodb", region_name=settings().region)
    for entry in sorted(_entries(tenant_id), key=lambda e: int(e.seq or 0))[:count]:
        client.delete_item(TableName=settings().table_name, Key={"pk": {"S": entry.pk}, "sk": {"S": entry.sk}})


@pytest.mark.parametrize(("years_later", "intact"), [(2, True), (0, False)])
def test_a_missing_start_is_expiry_only_past_the_retention(tenant_id: str, years_later: int, intact: bool) -> None:
    """Entries 1-2 leave the table. Past the retention that is TTL at work; within it, a deletion."""
    start = datetime(2026, 1, 10, tzinfo=UTC)
    with clock.frozen(start) as advance:
        for number in (1, 2):
            _write(tenant_id, number)
        with tenant_scope(tenant_id):
            chaining.chain_pending(tenant_id, force_checkpoint=True)  # a checkpoint at 2
        advance(years_later * 366 * 86400 + 60)
        _write(tenant_id, 3)
        with tenant_scope(tenant_id):
            chaining.chain_pending(tenant_id, force_checkpoint=True)
        _delete_first(tenant_id, 2)
        with tenant_scope(tenant_id):
            report = verification.verify(tenant_id)
    assert report.intact is intact and report.first_seq == 3
    assert report.expired_before_seq == (3 if intact else None)
    if not intact:
        assert [finding.kind for finding in report.findings] == ["missing"]
