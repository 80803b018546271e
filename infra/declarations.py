"""The declarations the infra is built from. They come only from ``atrium.manifest``; the
infra never lists a route, consumer, feed, schedule or task queue itself."""

from dataclasses import dataclass

from atrium import manifest
from atrium.kernel.events.feeds import FeedSpec
from atrium.kernel.events.routing import ConsumerSpec
from atrium.kernel.events.schedules import ScheduleSpec
from atrium.kernel.http.routing import RouteSpec
from atrium.kernel.tasks import TaskSpec


@dataclass(frozen=True)
class Declarations:
    routes: tuple[RouteSpec, ...]
    consumers: tuple[ConsumerSpec, ...]
    feeds: tuple[FeedSpec, ...]
    schedules: tuple[ScheduleSpec, ...]
    tasks: tuple[TaskSpec, ...]

    @property
    def layer_groups(self) -> set[str]:
        """The dependency groups some queue function needs as a layer of its own."""
        return {name for spec in (*self.consumers, *self.feeds, *self.tasks) for name in spec.layers}

    @classmethod
    def from_manifest(cls) -> "Declarations":
        return cls(
            routes=tuple(manifest.routes()),
            consumers=tuple(manifest.consumers()),
            feeds=tuple(manifest.feeds()),
            schedules=tuple(manifest.schedules()),
            tasks=tuple(manifest.tasks()),
        )
