"""Carrying out what plugins asked for during a run (``effect_powers.py``), on the caller's side, which holds the
grants the runner lacks: one transaction per plugin, acted by the plugin, recording each event it emitted
(``plugin.event_emitted``, its name and data namespaced by the plugin) and each notification it asked for
(``plugin.notification_requested``, which ``plugins.send_notifications`` emails). Only a run that ended well has
effects: a plugin that trapped or timed out half-way leaves none."""

from atrium.kernel.events.envelope import Ref
from atrium.kernel.store.unit_of_work import UnitOfWork
from atrium.plugins.events import (
    PLUGIN_EVENT_EMITTED,
    PLUGIN_NOTIFICATION_REQUESTED,
    PluginEventEmitted,
    PluginNotificationRequested,
)
from atrium.plugins.hook_calls import PluginResult
from atrium.plugins.models import PluginItem


def carry_out(tenant_id: str, hook: str, plugins: dict[str, PluginItem], results: list[PluginResult]) -> None:
    for result in results:
        if not result.effects:
            continue
        plugin = plugins[result.plugin_id]
        uow, subject = UnitOfWork(tenant_id, Ref(type="plugin", id=plugin.id, name=plugin.name)), Ref(
            type="plugin", id=plugin.id)
        for effect in result.effects:
            if effect["kind"] == "event":
                uow.record(PLUGIN_EVENT_EMITTED, subject=subject, data=PluginEventEmitted(
                    plugin_id=plugin.id, plugin_name=plugin.name, hook=hook, name=effect["name"],
                    data=effect["data"]).model_dump())
            else:
                uow.record(PLUGIN_NOTIFICATION_REQUESTED, subject=subject, data=PluginNotificationRequested(
                    plugin_id=plugin.id, plugin_name=plugin.name, to=effect["to"], subject=effect["subject"],
                    text=effect["text"]).model_dump())
        uow.commit()
