"""Declared grants -> least-privilege IAM statements on one role.

Each declaration that a grant reaches (a resource, a queue tasks are sent to) says what the grant may do there;
the infra turns that into the exact actions on the exact resources it needs. Nothing uses a ``grant_*_data``
shortcut, because those add Scan, DescribeTable and stream actions no Atrium function needs.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from aws_cdk import aws_iam as iam

from atrium.kernel.grants import Grant

Conditions = Mapping[str, Mapping[str, str | list[str]]]


@dataclass(frozen=True)
class Statement:
    actions: tuple[str, ...]
    resources: tuple[str, ...]
    conditions: Conditions | None = field(default=None, hash=False)


def _merged(statements: Iterable[Statement]) -> tuple[Statement, ...]:
    """Statements with the same actions and conditions as one, their resources joined in order (one SES send
    names both the identity and the configuration set)."""
    merged: dict[tuple[tuple[str, ...], str], Statement] = {}
    for statement in statements:
        key = (statement.actions, repr(statement.conditions))
        found = merged.get(key)
        merged[key] = statement if found is None else Statement(
            found.actions, found.resources + statement.resources, found.conditions)
    return tuple(merged.values())


@dataclass(frozen=True)
class GrantTargets:
    """What each grant reaches."""

    reached: Mapping[Grant, tuple[Statement, ...]]

    @classmethod
    def of(cls, reached: Iterable[tuple[Grant, Statement]]) -> "GrantTargets":
        by_grant: dict[Grant, list[Statement]] = {}
        for grant, statement in reached:
            by_grant.setdefault(grant, []).append(statement)
        return cls({grant: _merged(statements) for grant, statements in by_grant.items()})


def statements_for(grants: Iterable[Grant], targets: GrantTargets) -> list[iam.PolicyStatement]:
    """The statements of each grant (one per kind of access), in a stable order (so templates do not churn)."""
    unknown = set(grants) - set(targets.reached)
    if unknown:
        raise KeyError(f"grants {sorted(unknown)} reach no declared resource: declare what they reach")
    return [iam.PolicyStatement(actions=sorted(statement.actions), resources=list(statement.resources),
                                conditions=dict(statement.conditions) if statement.conditions else None)
            for grant in sorted(set(grants)) for statement in targets.reached[grant]]


def apply_grants(role: iam.IRole, grants: Iterable[Grant], targets: GrantTargets) -> None:
    for statement in statements_for(grants, targets):
        role.add_to_principal_policy(statement)
