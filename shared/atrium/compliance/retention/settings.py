"""Reading and changing a tenant's retention (``RetentionSettingsItem``), checked against the rules' bounds."""

from atrium import manifest
from atrium.compliance.retention.events import RETENTION_CHANGED, RetentionChanged
from atrium.compliance.retention.models import SETTINGS_ID, RetentionSettingsItem
from atrium.kernel.errors import NotFound, PreconditionFailed, Unprocessable
from atrium.kernel.events.envelope import Ref
from atrium.kernel.retention import RetentionRule
from atrium.kernel.store.unit_of_work import RequestInfo, UnitOfWork
from atrium.kernel.tenancy import Principal, actor_of


def _stored(tenant_id: str) -> RetentionSettingsItem | None:
    try:
        return RetentionSettingsItem.load(tenant_id, SETTINGS_ID, consistent=True)
    except NotFound:
        return None


def _days_by_rule(item: RetentionSettingsItem | None) -> dict[RetentionRule, int]:
    """Each rule's days for the tenant: its choice (within the rule's bounds today), else the default."""
    chosen = dict(item.days) if item else {}
    return {rule: min(max(int(chosen.get(rule.name, rule.default_days)), rule.minimum_days), rule.maximum_days)
            for rule in manifest.retention_rules()}


def read(tenant_id: str) -> tuple[dict[RetentionRule, int], int]:
    """Each rule's days, and the version to send in If-Match (0 until the tenant chooses)."""
    item = _stored(tenant_id)
    return _days_by_rule(item), int(item.version or 0) if item else 0


def _checked(days: dict[str, int]) -> dict[str, int]:
    rules = {rule.name: rule for rule in manifest.retention_rules()}
    for name, value in days.items():
        rule = rules.get(name)
        if rule is None:
            raise _invalid(name, f"is not a retention rule; the rules are {', '.join(sorted(rules))}", "unknown_rule")
        if not rule.minimum_days <= value <= rule.maximum_days:
            raise _invalid(name, f"is kept {rule.minimum_days} to {rule.maximum_days} days", "out_of_bounds")
    return days


def _invalid(name: str, message: str, code: str) -> Unprocessable:
    return Unprocessable(f"{name} {message}", errors=[{"field": f"body.days.{name}", "message": message, "code": code}])


def change(principal: Principal, days: dict[str, int], expected_version: int,
           info: RequestInfo) -> tuple[dict[RetentionRule, int], int]:
    wanted = _checked(days)
    item = _stored(principal.tenant_id)
    stale = PreconditionFailed("the retention settings were changed by another request")
    if (int(item.version or 0) if item else 0) != expected_version:
        raise stale
    previous = {rule.name: value for rule, value in _days_by_rule(item).items()}
    uow = UnitOfWork(principal.tenant_id, actor_of(principal), info)
    if item is None:
        item = RetentionSettingsItem(tenant_id=principal.tenant_id, id=SETTINGS_ID, days=wanted)
        uow.create(item, conflict=stale)
    else:
        item.days = {**item.days, **wanted}
        uow.save(item)
    changed = RetentionChanged(days=wanted, previous_days={name: previous[name] for name in wanted}).model_dump()
    uow.record(RETENTION_CHANGED, subject=Ref(type="retention_settings", id=principal.tenant_id), data=changed,
               metadata=changed)
    uow.commit()
    return _days_by_rule(item), int(item.version or 0)
