"""Personal fields are stored as AES-256-GCM ciphertext under the tenant's data key (kernel/store/field_encryption.py,
data_keys.py): the table and its stream hold no plaintext of them; a ciphertext moved to another attribute, item
or tenant does not decrypt; a rotated key encrypts new writes while the old one still reads; and a warm process
calls KMS no more, within its cache's time and uses."""

import json
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import boto3
import pytest

from atrium.apps.fieldwork.customers.models import CustomerItem
from atrium.kernel import clock, ids
from atrium.kernel.config import settings
from atrium.kernel.events.envelope import Ref
from atrium.kernel.store import data_keys
from atrium.kernel.store.field_encryption import UnreadableField
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import tenant_scope
from atrium_local.provision import Provisioned

NAME, EMAIL, STREET = "Harbour Bakery", "dana.reyes@harbour.example", "12 Quay Street"


class KmsCalls:
    """Counts the data keys' KMS calls by operation."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.calls: list[str] = []

    def __getattr__(self, name: str) -> Any:
        method = getattr(self.client, name)

        def counted(**params: Any) -> Any:
            self.calls.append(name)
            return method(**params)
        return counted


@pytest.fixture
def kms(aws: Provisioned, monkeypatch: pytest.MonkeyPatch) -> KmsCalls:
    counting = KmsCalls(data_keys._kms())
    monkeypatch.setattr(data_keys, "_kms", lambda: counting)
    return counting


@pytest.fixture
def tenant_id(aws: Provisioned) -> Iterator[str]:
    tenant_id = ids.new_id("ten")
    with tenant_scope(tenant_id):
        yield tenant_id


def _customer(tenant_id: str, name: str = NAME) -> CustomerItem:
    customer = CustomerItem(tenant_id=tenant_id, id=ids.new_id("cus"), name=name,
                            billing_contact={"name": "Dana Reyes", "email": EMAIL},
                            service_address={"line1": STREET, "city": "Portland"}, notes="Gate code 4411")
    customer.save()
    return customer


def _raw(item: CustomerItem) -> dict[str, Any]:
    client = boto3.client("dynamodb", region_name=settings().region)
    found: dict[str, Any] = client.get_item(TableName=settings().table_name,
                                            Key={"pk": {"S": item.pk}, "sk": {"S": item.sk}})["Item"]
    return found


def _put_raw(values: dict[str, Any]) -> None:
    boto3.client("dynamodb", region_name=settings().region).put_item(TableName=settings().table_name, Item=values)


def test_the_table_and_its_stream_hold_ciphertext_and_the_model_reads_plaintext(tenant_id: str,
                                                                                aws: Provisioned) -> None:
    customer = _customer(tenant_id)
    raw = _raw(customer)
    for name in ("name", "billing_contact", "service_address", "notes"):
        assert raw[name]["S"].startswith("fe1:1:"), raw[name]
    # The whole note: four digits alone turn up by chance in ids, timestamps and the stream's sequence numbers.
    assert not any(secret in json.dumps(raw) for secret in (NAME, EMAIL, STREET, "Gate code 4411"))
    assert not any(secret in json.dumps(_stream_images(aws)) for secret in (NAME, EMAIL, STREET, "Gate code 4411"))

    loaded = CustomerItem.load(tenant_id, customer.id)
    assert (loaded.name, loaded.billing_contact["email"], loaded.service_address["line1"], loaded.notes) == (
        NAME, EMAIL, STREET, "Gate code 4411")
    assert raw["site_count"] == {"N": "0"}  # what is not personal stays as it was


def test_a_ciphertext_moved_to_another_attribute_item_or_tenant_does_not_decrypt(tenant_id: str) -> None:
    source, target = _customer(tenant_id), _customer(tenant_id, "Other")
    sealed_name = _raw(source)["name"]

    _put_raw({**_raw(target), "name": sealed_name})  # another item of the same tenant
    with pytest.raises(UnreadableField):
        CustomerItem.load(tenant_id, target.id)
    _put_raw({**_raw(source), "notes": sealed_name})  # another attribute of the same item
    with pytest.raises(UnreadableField):
        CustomerItem.load(tenant_id, source.id)

    other_tenant = ids.new_id("ten")
    with tenant_scope(other_tenant):
        victim = _customer(other_tenant)
        _put_raw({**_raw(victim), "name": sealed_name})
        with pytest.raises(UnreadableField):
            CustomerItem.load(other_tenant, victim.id)


def test_a_rotated_key_encrypts_new_writes_and_the_old_one_still_reads(tenant_id: str) -> None:
    before = _customer(tenant_id, "Before")
    uow = UnitOfWork(tenant_id, Ref(type="operator", id="opr_1"), RequestInfo())
    assert data_keys.rotate(tenant_id, uow) == 2
    uow.record("compliance.data_key_rotated", subject=Ref(type="tenant", id=tenant_id), data={"key_version": 2})
    uow.commit()
    after = _customer(tenant_id, "After")
    assert _raw(before)["name"]["S"].startswith("fe1:1:") and _raw(after)["name"]["S"].startswith("fe1:2:")
    data_keys.forget_held_keys()  # another process: it reads both versions from the table
    assert [CustomerItem.load(tenant_id, item.id).name for item in (before, after)] == ["Before", "After"]


def test_a_warm_process_calls_kms_only_once_its_cache_ends(tenant_id: str, kms: KmsCalls,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    customer = _customer(tenant_id)  # the tenant's first key: made (and unwrapped) by one call
    assert kms.calls == ["generate_data_key"]
    for _ in range(5):
        CustomerItem.load(tenant_id, customer.id)
        _customer(tenant_id)
    assert kms.calls == ["generate_data_key"]  # warm: none

    data_keys.forget_held_keys()  # a cold process: one Decrypt of the stored key, then none
    CustomerItem.load(tenant_id, customer.id)
    _customer(tenant_id)
    assert kms.calls == ["generate_data_key", "decrypt"]

    with clock.frozen(clock.now() + timedelta(seconds=settings().field_key_cache_seconds + 1)):
        CustomerItem.load(tenant_id, customer.id)  # past the cache's time
    assert kms.calls == ["generate_data_key", "decrypt", "decrypt"]

    monkeypatch.setattr(settings(), "field_key_cache_uses", 2)
    data_keys.forget_held_keys()
    for _ in range(4):  # an item read is one use: two reads per holding
        CustomerItem.load(tenant_id, customer.id)
    assert kms.calls.count("decrypt") == 2 + 2


def _stream_images(aws: Provisioned) -> list[dict[str, Any]]:
    streams = boto3.client("dynamodbstreams", region_name=settings().region)
    images = []
    for shard in streams.describe_stream(StreamArn=aws.stream_arn)["StreamDescription"]["Shards"]:
        iterator = streams.get_shard_iterator(StreamArn=aws.stream_arn, ShardId=shard["ShardId"],
                                              ShardIteratorType="TRIM_HORIZON")["ShardIterator"]
        for record in streams.get_records(ShardIterator=iterator)["Records"]:
            images.append(record["dynamodb"].get("NewImage", {}))
    return images
