"""Every tenant-owned key the code writes fits the IAM policy that isolates tenants.

The ``TenantDataAccess`` role (infra/constructs/tenant_isolation.py) lets a session touch only
partition keys matching ``dynamodb:LeadingKeys`` ``StringLike`` ``T#${aws:PrincipalTag/tenant_id}#*``
or ``G#*`` (the global items). That only isolates tenants if every tenant-owned pk and GSI pk fits
the pattern for its own tenant (and for no other). This checks it for every model, with generated tenants and attribute
values; the patterns are read from the policy builder, so changing the policy or the key scheme
alone breaks this test.

Models are found, not listed: every module of the kernel and of each context in
``atrium.manifest.CONTEXTS`` is imported and ``Item``'s subclasses are walked, so a new model
joins automatically. Global types (``G#...``) are the only ones listed, explicitly.
"""

import importlib
import os
import pkgutil
import re
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from types import ModuleType
from typing import Any
from unittest.mock import patch

import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st
from pynamodb.attributes import (
    Attribute,
    BooleanAttribute,
    DiscriminatorAttribute,
    JSONAttribute,
    ListAttribute,
    MapAttribute,
    NumberAttribute,
    TTLAttribute,
    UnicodeAttribute,
    UnicodeSetAttribute,
    UTCDateTimeAttribute,
    VersionAttribute,
)

import atrium
from atrium import manifest
from atrium.kernel import ids
from atrium.kernel.store.models import Item
from atrium.kernel.store.table import TABLE
from atrium.kernel.tenancy import tenant_scope
from tests.support.iam_string_like import string_like

TENANT_TAG = "aws:PrincipalTag/tenant_id"
TABLE_ARN = "arn:aws:dynamodb:us-east-1:111122223333:table/atrium"
ULID_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

# Reached only through the platform service that owns them (ARCHITECTURE §6): never under a tenant.
GLOBAL = {"User", "UserEmail", "RefreshToken", "HealthProbe", "LoginThrottle", "OneTimeToken", "MfaChallenge",
          "InvitationToken", "ApiTokenSecret", "Operator", "TenantDirectory", "EmailSuppression",
          "InboundHookAddress", "StripeEvent", "GalleryListing", "GalleryTag", "GalleryRating", "GlobalRateWindow",
          "PlatformUsage", "PlatformKeys", "TenantDeletion", "Developer", "DeveloperEmail", "DeveloperKey",
          "DeveloperVerification", "PluginListing", "PluginListingVersion", "PluginRating"}
# Tenant-owned when the request has a tenant; public routes share one global (anonymous) scope. A count is the
# tenant's when it counts for a tenant (invitations), else global (link emails to an address).
TENANT_OR_GLOBAL = {"Idempotency", "Count"}
KNOWN = {"Tenant", "Membership", "CustomRoles", "Session", "Audit", "Outbox", "Unique", "Idempotency", "Invitation",
         "Count",
         "ApiToken", "EmailBranding", "EmailPreferences", "InboundHook",
         *GLOBAL}

KEY_ATTRIBUTES = set(TABLE.key_attributes())
GSI_PARTITION_KEYS = [index.partition_key for index in TABLE.indexes]
MANAGED = {"entity", "version", "updated_at"}  # set by the base model on every write


# -- the policy ------------------------------------------------------------------------------

def isolation() -> ModuleType:
    """The policy builders, from the CDK app (imported late: jsii would warn about this
    environment's node 20 unless told, as tests/infra/conftest.py does)."""
    os.environ.setdefault("JSII_SILENCE_WARNING_END_OF_LIFE_NODE_VERSION", "20")
    return importlib.import_module("infra.constructs.tenant_isolation")


def leading_keys_patterns() -> tuple[str, ...]:
    """The LeadingKeys patterns, the same on every statement of the tenant data policy."""
    statements = isolation().tenant_data_policy(TABLE_ARN)["Statement"]
    patterns = {tuple(s["Condition"]["ForAllValues:StringLike"]["dynamodb:LeadingKeys"]) for s in statements}
    assert len(patterns) == 1, patterns
    return patterns.pop()


PATTERNS = leading_keys_patterns()


def reachable_by(tenant_id: str, key: str) -> bool:
    """A session tagged ``tenant_id`` passes the LeadingKeys condition for ``key``."""
    return any(string_like(pattern, key, {TENANT_TAG: tenant_id}) for pattern in PATTERNS)


def test_a_session_reaches_its_tenants_keys_and_the_global_ones() -> None:
    assert PATTERNS == ("T#${aws:PrincipalTag/tenant_id}#*", "G#*")


@pytest.mark.parametrize(("pattern", "value", "expected"), [
    ("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_A#Tenant#ten_A", True),
    ("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_A#", True),
    ("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_A", False),
    ("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_AB#Tenant#x", False),
    ("T#${aws:PrincipalTag/tenant_id}#*", "t#ten_A#Tenant#x", False),
    ("T#${aws:PrincipalTag/tenant_id}#*", "G#User#usr_1", False),
    ("T#${aws:PrincipalTag/other}#*", "T#ten_A#x", False),
    ("a?c", "abc", True),
    ("a?c", "ac", False),
    ("a*", "a", True),
    ("a.c", "abc", False),
    ("${*}x", "*x", True),
    ("${*}x", "yx", False),
])
def test_string_like(pattern: str, value: str, expected: bool) -> None:
    assert string_like(pattern, value, {TENANT_TAG: "ten_A"}) is expected


def test_a_tag_value_is_a_literal_not_a_pattern() -> None:
    assert not string_like("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_A#x", {TENANT_TAG: "ten_?"})
    assert not string_like("T#${aws:PrincipalTag/tenant_id}#*", "T#ten_A#x", {TENANT_TAG: "*"})


# -- the models -------------------------------------------------------------------------------

SHARED = Path(atrium.__file__).resolve().parent.parent


def import_model_modules() -> list[str]:
    """Every module of the kernel and of each context (they are where models may live)."""
    imported = []
    for package_name in ["atrium.kernel", *manifest.CONTEXTS.values()]:
        package = importlib.import_module(package_name)
        imported.append(package_name)
        for info in pkgutil.walk_packages(package.__path__, f"{package_name}."):
            importlib.import_module(info.name)
            imported.append(info.name)
    return imported


IMPORTED = import_model_modules()


def walk(cls: type[Item]) -> Iterator[type[Item]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from walk(sub)


def discriminator(cls: type[Item]) -> str | None:
    attribute = cls.get_attributes()["entity"]
    assert isinstance(attribute, DiscriminatorAttribute)
    name = attribute.get_discriminator(cls)
    return None if name is None else str(name)


def concrete_models() -> dict[str, type[Item]]:
    """The product's concrete models (those with a discriminator), by type name. Models that
    tests declare for themselves are left out."""
    found: dict[str, type[Item]] = {}
    for cls in walk(Item):
        name = discriminator(cls)
        if name is not None and cls.__module__.startswith("atrium."):
            assert name not in found or found[name] is cls, f"two models declare discriminator {name!r}"
            found[name] = cls
    return found


MODELS = concrete_models()


def test_enumeration_finds_the_known_models() -> None:
    assert set(MODELS) >= KNOWN, sorted(KNOWN - set(MODELS))


def test_every_module_declaring_a_model_was_imported() -> None:
    """A model outside the kernel and the manifest's contexts would escape this test."""
    declaring = set()
    for path in (SHARED / "atrium").rglob("*.py"):
        if re.search(r"^class \w+\(.*discriminator=", path.read_text(), flags=re.MULTILINE):
            declaring.add(".".join(path.relative_to(SHARED).with_suffix("").parts))
    assert declaring, "no model declarations found: did the pattern stop matching?"
    assert declaring <= set(IMPORTED), sorted(declaring - set(IMPORTED))


def test_the_global_listing_names_only_models() -> None:
    assert set(MODELS) >= GLOBAL | TENANT_OR_GLOBAL


def test_every_tenant_owned_model_carries_its_tenant() -> None:
    for name, cls in MODELS.items():
        if name not in GLOBAL:
            assert "tenant_id" in cls.get_attributes(), f"{name} is not listed as global but has no tenant_id"


# -- generated items --------------------------------------------------------------------------

tenant_ids = st.text(alphabet=ULID_ALPHABET, min_size=26, max_size=26).map(lambda ulid: f"ten_{ulid}")
prefixed_ids = st.builds(lambda prefix, ulid: f"{prefix}_{ulid}", st.sampled_from(sorted(ids.PREFIXES)),
                         st.text(alphabet=ULID_ALPHABET, min_size=26, max_size=26))
texts = st.one_of(prefixed_ids, st.text(min_size=1, max_size=40))
times = st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30), timezones=st.just(UTC))
# What IAM accepts in a session tag value (no '#', '*' or '?').
TAG_VALUE_ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 _.:/=+-@"


def other_tenants(tenant: str) -> st.SearchStrategy[str]:
    """Another session's tag: another tenant id, a prefix of this one, or any tag value."""
    prefixes = st.integers(min_value=1, max_value=len(tenant) - 1).map(lambda n: tenant[:n])
    return st.one_of(tenant_ids, prefixes, st.text(alphabet=TAG_VALUE_ALPHABET, max_size=40)).filter(
        lambda other: other != tenant)



def value_strategy(name: str, attribute: Attribute[Any]) -> st.SearchStrategy[Any]:
    """Values by attribute type; an unknown type fails here, so it gets a strategy."""
    if isinstance(attribute, TTLAttribute | UTCDateTimeAttribute):
        return times
    if isinstance(attribute, UnicodeAttribute):
        return texts
    if isinstance(attribute, BooleanAttribute):
        return st.booleans()
    if isinstance(attribute, NumberAttribute):
        return st.integers(min_value=-(10**12), max_value=10**12)
    if isinstance(attribute, ListAttribute) and attribute.element_type is None:
        return st.lists(st.text(max_size=20), max_size=3)
    element = attribute.element_type if isinstance(attribute, ListAttribute) else None
    if element is not None and issubclass(element, MapAttribute):  # a typed map: built from its own attributes
        map_type: type[MapAttribute[Any, Any]] = element
        fields = {n: value_strategy(n, a) for n, a in map_type.get_attributes().items() if not a.null}
        return st.lists(st.fixed_dictionaries(fields).map(lambda values: map_type(**values)), max_size=3)
    if isinstance(attribute, MapAttribute) and type(attribute) is not MapAttribute:  # a typed map, not in a list
        typed: type[MapAttribute[Any, Any]] = type(attribute)
        members = {n: value_strategy(n, a) for n, a in typed.get_attributes().items() if not a.null}
        return st.fixed_dictionaries(members).map(lambda values: typed(**values))
    if isinstance(attribute, UnicodeSetAttribute):
        return st.sets(st.text(min_size=1, max_size=20), min_size=1, max_size=3)
    if type(attribute) is MapAttribute:  # a raw map: any string keys
        return st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=20), max_size=3)
    if isinstance(attribute, JSONAttribute):  # a JSON object (job parameters, results)
        return st.dictionaries(st.text(min_size=1, max_size=10), st.text(max_size=20), max_size=3)
    raise TypeError(f"no strategy for {name}: {type(attribute).__name__}; add one to value_strategy")


def attribute_values(cls: type[Item]) -> st.SearchStrategy[dict[str, Any]]:
    """Every attribute a caller may set (not the keys, which are computed). Optional ones and
    ones with a default may be left out."""
    fields: dict[str, st.SearchStrategy[Any]] = {}
    for name, attribute in cls.get_attributes().items():
        if name in KEY_ATTRIBUTES | MANAGED or name == "tenant_id" or isinstance(attribute, VersionAttribute):
            continue
        strategy = value_strategy(name, attribute)
        optional = attribute.null or attribute.default is not None or attribute.default_for_new is not None
        fields[name] = st.none() | strategy if optional else strategy
    return st.fixed_dictionaries(fields).map(lambda values: {k: v for k, v in values.items() if v is not None})


def written_keys(cls: type[Item], scope: str, values: dict[str, Any]) -> dict[str, str]:
    """The partition keys of the item as the code writes it (``serialize``, as a save or a
    transaction does), built inside ``scope``'s tenant scope. Its protected fields are left unsealed: sealing
    changes no key, and needs the tenant's key from KMS."""
    with tenant_scope(scope), patch("atrium.kernel.store.models.seal_fields", lambda _model, values: values):
        item = cls(**values)
        try:
            image = item.serialize()
        except ValueError as error:
            if "key part" not in str(error):
                raise
            reject()  # the key scheme refused a value (e.g. one holding '#'): nothing is written
    return {name: image[name]["S"] for name in (TABLE.partition_key, *GSI_PARTITION_KEYS) if name in image}


def each_model(names: set[str]) -> Callable[[Callable[..., None]], Any]:
    def decorate(test: Callable[..., None]) -> Any:
        return pytest.mark.parametrize("name", sorted(names))(
            settings(max_examples=30, deadline=None)(given(data=st.data())(test)))
    return decorate


TENANT_OWNED = set(MODELS) - GLOBAL


@each_model(TENANT_OWNED)
def test_tenant_owned_keys_fit_the_policy_for_their_tenant_only(name: str, data: st.DataObject) -> None:
    cls = MODELS[name]
    tenant = data.draw(tenant_ids, label="tenant")
    other = data.draw(other_tenants(tenant), label="other session's tag")
    owner = data.draw(st.none() | st.just(tenant), label="owner") if name in TENANT_OR_GLOBAL else tenant
    values = data.draw(attribute_values(cls), label="attributes")
    written = written_keys(cls, tenant, {**values, "tenant_id": owner})
    assert TABLE.partition_key in written
    if owner is None:  # the global branch of a TENANT_OR_GLOBAL type
        assert written[TABLE.partition_key].startswith("G#"), written
        assert not any(key.startswith("T#") for key in written.values()), written
        return
    for attribute, key in written.items():
        assert reachable_by(tenant, key), f"{name}.{attribute} = {key!r} is outside its tenant's pattern"
        assert not reachable_by(other, key), f"{name}.{attribute} = {key!r} is reachable by another tenant"


@each_model(GLOBAL)
def test_global_keys_are_never_under_another_tenant(name: str, data: st.DataObject) -> None:
    cls = MODELS[name]
    scope = data.draw(tenant_ids, label="scope")
    values = data.draw(attribute_values(cls), label="attributes")
    if "tenant_id" in cls.get_attributes():  # e.g. a refresh token names its session's tenant
        values["tenant_id"] = data.draw(st.just(scope) | tenant_ids, label="tenant_id")
    written = written_keys(cls, scope, values)
    assert written[TABLE.partition_key].startswith("G#"), written
    for attribute in GSI_PARTITION_KEYS:
        key = written.get(attribute)
        assert key is None or not key.startswith("T#") or reachable_by(scope, key), f"{name}.{attribute} = {key!r}"


@given(tenant=tenant_ids)
def test_tenant_ids_fit_the_trust_policy(tenant: str) -> None:
    """The role can be assumed with every tenant id the code makes (and the tag is one)."""
    pattern = isolation().trust_conditions()["StringLike"]["aws:RequestTag/tenant_id"]
    assert string_like(pattern, tenant, {})
    assert string_like(pattern, ids.new_id("ten"), {})
    assert not string_like(pattern, ids.new_id("usr"), {})
