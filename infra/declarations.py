"""The declarations the infra is built from. They come only from ``atrium.manifest``; the
infra never lists a route, consumer, schedule or resource itself."""

from dataclasses import dataclass
from typing import Any

from atrium import manifest
from atrium.kernel.consumers import ConsumerSpec
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.resources import Resource
from atrium.kernel.runners import RunnerSpec


@dataclass(frozen=True)
class Declarations:
    routes: tuple[RouteSpec, ...]
    consumers: tuple[ConsumerSpec[Any], ...]
    schedules: tuple[ScheduleSpec, ...]
    resources: tuple[Resource, ...]
    runners: tuple[RunnerSpec, ...] = ()

    @property
    def layer_groups(self) -> set[str]:
        """The dependency groups some consumer or runner needs as a layer of its own."""
        return {name for spec in self.consumers for name in spec.layers} | {
            name for runner in self.runners for name in runner.layers}

    @classmethod
    def from_manifest(cls) -> "Declarations":
        return cls(
            routes=tuple(manifest.routes()),
            consumers=tuple(manifest.consumers()),
            schedules=tuple(manifest.schedules()),
            resources=tuple(manifest.resources()),
            runners=tuple(manifest.runners()),
        )
