"""Every declared resource, built (``manifest.resources()``): where it sits in the construct tree (``homes.py``),
the environment that names it to every function, and the IAM statements of the grants that reach it."""

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from aws_cdk import aws_sns as sns
from constructs import Construct

from atrium.kernel.config import PREFIX
from atrium.kernel.grants import Grant
from atrium.kernel.resources import (
    Bucket,
    Bus,
    ConfigurationSet,
    EncryptionKey,
    MailIdentity,
    NotificationTopic,
    Resource,
    ScheduleGroup,
    Secret,
    Table,
)
from infra.config import AtriumConfig
from infra.constructs.built import Built, Deployment
from infra.constructs.data import BuiltTable
from infra.constructs.events import BuiltBus
from infra.constructs.homes import resource_home
from infra.constructs.keys import BuiltKey
from infra.constructs.mail import BuiltConfigurationSet, BuiltMailIdentity
from infra.constructs.permissions import Statement
from infra.constructs.secrets import BuiltSecret
from infra.constructs.storage import BuiltBucket
from infra.constructs.tasks import BuiltScheduleGroup
from infra.constructs.topics import BuiltTopic

_BUILDERS: dict[type[Resource], Callable[[Construct, str, Any, Deployment], Built]] = {
    Table: BuiltTable, Secret: BuiltSecret, Bucket: BuiltBucket, Bus: BuiltBus, NotificationTopic: BuiltTopic,
    MailIdentity: BuiltMailIdentity, ConfigurationSet: BuiltConfigurationSet, ScheduleGroup: BuiltScheduleGroup,
    EncryptionKey: BuiltKey,
}
BuiltKind = TypeVar("BuiltKind")


class Resources:
    def __init__(self, scope: Construct, declarations: Sequence[Resource], config: AtriumConfig) -> None:
        self._topics: dict[str, sns.ITopic] = {}
        deployment = Deployment(config, self._topics)
        self._built: dict[str, tuple[Resource, Built]] = {}
        # Topics first: a configuration set publishes to one.
        for declaration in sorted(declarations, key=lambda d: not isinstance(d, NotificationTopic)):
            builder = _BUILDERS.get(type(declaration))
            if builder is None:
                raise TypeError(f"resource {declaration.name}: nothing builds a {type(declaration).__name__}")
            built = builder(*resource_home(scope, declaration.name), declaration, deployment)
            if isinstance(built, BuiltTopic):
                self._topics[declaration.name] = built.topic
            self._built[declaration.name] = (declaration, built)

    def one(self, kind: type[BuiltKind]) -> BuiltKind:
        """The one resource built as ``kind`` (the table, the bus...)."""
        (found,) = [built for _, built in self._built.values() if isinstance(built, kind)]
        return found

    @property
    def topics(self) -> dict[str, sns.ITopic]:
        return dict(self._topics)

    def environment(self) -> dict[str, str]:
        """``ATRIUM_<SETTING>`` for every setting that names a resource (what ``kernel.config.Settings`` reads)."""
        return {f"{PREFIX}{setting.upper()}": value for _, built in self._built.values()
                for setting, value in built.environment().items()}

    def grant_statements(self) -> Iterable[tuple[Grant, Statement]]:
        """Each grant a resource declares, with the statements of the access it gives."""
        for declaration, built in self._built.values():
            for grant, access in declaration.grants.items():
                yield from ((grant, statement) for statement in built.statements(access))
