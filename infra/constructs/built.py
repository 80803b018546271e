"""What every resource builder is given and gives back: the resource's environment (the settings that name it)
and, for each access a grant declares, its IAM statements."""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from aws_cdk import aws_sns as sns

from atrium.kernel.resources import Access, Resource
from infra.config import AtriumConfig
from infra.constructs.permissions import Statement


@dataclass(frozen=True)
class Deployment:
    config: AtriumConfig
    # The topics built so far, by name (topics are built first).
    topics: Mapping[str, sns.ITopic]


class Built(Protocol):
    def environment(self) -> dict[str, str]:
        """Settings field -> the value that names the resource (a name, an ARN)."""
        ...

    def statements(self, access: Access) -> list[Statement]:
        ...


def supported(declaration: Resource, access: Access, allowed: Access) -> None:
    if access & ~allowed:
        raise ValueError(f"resource {declaration.name} ({type(declaration).__name__}) gives no {access & ~allowed}")
