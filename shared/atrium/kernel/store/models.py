"""PynamoDB base models for the one table.

Subclasses declare attributes and a discriminator (their type name); keys are filled from attributes by
``assign_keys`` (via ``keys``) right before serialization, so callers never build keys.
"""

from datetime import datetime, timedelta
from typing import Any, Self

from pynamodb.attributes import (
    DiscriminatorAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)
from pynamodb.connection import TableConnection
from pynamodb.exceptions import DoesNotExist
from pynamodb.indexes import AllProjection, GlobalSecondaryIndex
from pynamodb.models import Model

from atrium.kernel import clock
from atrium.kernel.config import settings
from atrium.kernel.errors import NotFound
from atrium.kernel.store import keys
from atrium.kernel.store.field_encryption import open_fields, seal_fields
from atrium.kernel.store.screening import remember
from atrium.kernel.store.table import TABLE
from atrium.kernel.store.tenant_credentials import sign_tenant_calls_as_tenant


class Gsi1(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = TABLE.indexes[0].name
        projection = AllProjection()

    gsi1pk = UnicodeAttribute(hash_key=True)
    gsi1sk = UnicodeAttribute(range_key=True)


class Gsi2(GlobalSecondaryIndex["Item"]):  # type: ignore[no-untyped-call]
    class Meta:
        index_name = TABLE.indexes[1].name
        projection = AllProjection()

    gsi2pk = UnicodeAttribute(hash_key=True)
    gsi2sk = UnicodeAttribute(range_key=True)


class Item(Model):
    """Every item in the table. ``entity`` is the discriminator."""

    class Meta:
        table_name = settings().table_name
        region = settings().region
        # Fail fast: an API call should answer (or 503) well within the function timeout.
        connect_timeout_seconds = 2
        read_timeout_seconds = 5
        max_retry_attempts = 2

    pk = UnicodeAttribute(hash_key=True)
    sk = UnicodeAttribute(range_key=True, default=keys.ENTITY_SK)
    gsi1pk = UnicodeAttribute(null=True)
    gsi1sk = UnicodeAttribute(null=True)
    gsi2pk = UnicodeAttribute(null=True)
    gsi2sk = UnicodeAttribute(null=True)
    entity = DiscriminatorAttribute()
    version = VersionAttribute()
    created_at = UTCDateTimeAttribute(default_for_new=clock.now)
    updated_at = UTCDateTimeAttribute(default=clock.now)
    expires_at = TTLAttribute(null=True)

    gsi1 = Gsi1()
    gsi2 = Gsi2()

    @classmethod
    def _get_connection(cls) -> TableConnection:
        """Every model call, and every transaction, goes through this one connection: PynamoDB keeps one per
        class, and a class used before ``Item`` would make a botocore client of its own (about 100 ms of a cold
        start each); they all share one table and key schema. In a function given the tenant data role, its
        client signs tenant-owned calls with the tenant's session (``tenant_credentials``)."""
        if cls is not Item:
            return Item._get_connection()
        table = super()._get_connection()
        if role_arn := settings().tenant_data_role_arn:
            sign_tenant_calls_as_tenant(table.connection.client, table.connection.session, role_arn)
        return table

    @classmethod
    def type_name(cls) -> str:
        """The discriminator a concrete class was declared with (``class X(..., discriminator="X")``)."""
        discriminator = cls.get_attributes()["entity"]
        assert isinstance(discriminator, DiscriminatorAttribute)
        name = discriminator.get_discriminator(cls)
        if name is None:
            raise TypeError(f"{cls.__name__} declares no discriminator")
        return str(name)

    def assign_keys(self) -> None:
        raise NotImplementedError

    def serialize(self, null_check: bool = True) -> dict[str, dict[str, Any]]:
        self.assign_keys()
        self.updated_at = clock.now()
        return seal_fields(type(self), super().serialize(null_check))

    @classmethod
    def from_raw_data(cls, data: dict[str, Any]) -> Self:
        """An item read (get, query, batch get...), its protected attributes decrypted (``field_encryption``)."""
        item = super().from_raw_data(open_fields(cls._get_discriminator_class(data) or cls, data))
        remember(item)  # its free text was screened when written
        return item

    def deserialize(self, attribute_values: dict[str, dict[str, Any]]) -> None:
        """An item refreshed or updated from what the table answered, decrypted the same way."""
        super().deserialize(open_fields(type(self), attribute_values))
        remember(self)


class TenantEntity(Item):
    """A tenant-owned entity: pk ``T#<tenant>#<Type>#<id>``, listed under ``T#<tenant>#<Type>``."""

    tenant_id = UnicodeAttribute()
    id = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.entity_pk(self.tenant_id, self.type_name(), self.id)
        self.gsi1pk = keys.collection_pk(self.tenant_id, self.type_name())
        self.gsi1sk = self.collection_sort_key()

    def collection_sort_key(self) -> str:
        """Order within the tenant's collection; ids are ULIDs, so oldest first by default."""
        return self.id

    @classmethod
    def load(cls, tenant_id: str, entity_id: str, *, consistent: bool = False) -> Self:
        missing = NotFound(f"{cls.type_name().lower()} {entity_id} not found")
        try:
            pk = keys.entity_pk(tenant_id, cls.type_name(), entity_id)
        except ValueError:  # an id no key can hold ("", "a#b") names nothing
            raise missing from None
        try:
            return cls.get(pk, keys.ENTITY_SK, consistent_read=consistent)
        except DoesNotExist:
            raise missing from None


class GlobalEntity(Item):
    """A global lookup reached only through the platform service that owns it."""

    natural_key = UnicodeAttribute()

    def assign_keys(self) -> None:
        self.pk = keys.global_pk(self.type_name(), self.natural_key)

    @classmethod
    def find(cls, natural_key: str, *, consistent: bool = False) -> Self | None:
        try:
            return cls.get(keys.global_pk(cls.type_name(), natural_key), keys.ENTITY_SK, consistent_read=consistent)
        except DoesNotExist:
            return None


def expires_in(seconds: int) -> datetime:
    return clock.now() + timedelta(seconds=seconds)
