"""Plugin routes: upload a bundle, install it (scanned by a job), list and read the tenant's plugins, uninstall
one. Installing needs the Enterprise plan's `plugins` feature; reading and uninstalling do not, so a tenant that
left the plan can still see and remove what it installed."""

from typing import TYPE_CHECKING, Annotated

from fastapi import Path, Query, Response

from atrium.billing.api import Feature, FeatureGate
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.plugins.events import MANAGE_PERMISSION, READ_PERMISSION
from atrium.plugins.schemas import (
    ConfigIn,
    ConfigOut,
    HookList,
    HookRun,
    HookRunOut,
    InstallCreate,
    PluginList,
    PluginMetricsOut,
    PluginOut,
    SdkOut,
    UploadCreate,
    UploadOut,
)

if TYPE_CHECKING:
    from atrium.plugins import (
        catalog,
        configuration,
        event_hooks,
        installs,
        manual_runs,
        metrics,
        sdk,
        switching,
        uninstall,
        upgrades,
    )
else:
    (catalog, configuration, event_hooks, installs, manual_runs, metrics, sdk, switching, uninstall,
     upgrades) = lazy_modules("atrium.plugins", "catalog", "configuration", "event_hooks", "installs", "manual_runs",
                              "metrics", "sdk", "switching", "uninstall", "upgrades")

router = ContextRouter("plugins")
PLUGINS_PATH = "/v1/plugins"
PLUGIN_PATH = f"{PLUGINS_PATH}/{{plugin_id}}"
PLUGINS = FeatureGate(Feature.PLUGINS)
_NOT_FOUND = {404: {"description": "No such plugin in the caller's tenant"}}
_LIMITED = {429: {"description": "More than 10 plugin operations in 15 minutes (Retry-After)"}}


@router.post(f"{PLUGINS_PATH}/uploads", name="request_plugin_upload", permission=MANAGE_PERMISSION,
             status_code=201, feature=PLUGINS, grants={*WRITE, Grant.FILES_WRITE}, responses=_LIMITED)
def request_plugin_upload(body: UploadCreate, principal: CurrentPrincipal, info: CurrentRequest) -> UploadOut:
    """A presigned POST for a plugin's WebAssembly module of exactly `size` bytes (50 MB at most), to install
    within a day (`POST /v1/plugins/install`)."""
    return installs.request_upload(principal, body, info)


@router.post(f"{PLUGINS_PATH}/install", name="install_plugin", permission=MANAGE_PERMISSION, status_code=202,
             idempotent=True, feature=PLUGINS, grants=WRITE,
             responses={202: {"headers": {"Location": {"description": "The plugin", "schema": {"type": "string"}}}},
                        **_LIMITED})
def install_plugin(body: InstallCreate, principal: CurrentPrincipal, info: CurrentRequest,
                   response: Response) -> PluginOut:
    """Install the uploaded bundle with its manifest, granting the permissions the manifest asks for (recorded as
    granted by the caller). A job checks the bundle and scans it: the plugin is then `installed`, or `rejected`
    with the scan's findings."""
    plugin = installs.start_install(principal, body, info)
    response.headers["Location"] = f"{PLUGINS_PATH}/{plugin.id}"
    return catalog.plugin_out(plugin)


@router.get(PLUGINS_PATH, name="list_plugins", permission=READ_PERMISSION,
            grants={Grant.TABLE_READ, Grant.CURSOR_KEY_READ})
def list_plugins(principal: CurrentPrincipal, paging: Paging) -> PluginList:
    """The tenant's plugins, oldest first."""
    return catalog.list_plugins(principal.tenant_id, limit=paging.limit, cursor=paging.cursor)


@router.get(f"{PLUGINS_PATH}/hooks", name="list_plugin_hooks", permission=READ_PERMISSION, grants=frozenset())
def list_plugin_hooks() -> HookList:
    """The hooks a plugin may declare: the apps' synchronous hooks and the event types (a plugin's own hooks, run
    by hand, are its own to name, without a dot)."""
    return HookList(data=event_hooks.hook_catalog())


@router.get(f"{PLUGINS_PATH}/sdk", name="get_plugin_sdk", permission=READ_PERMISSION, grants=frozenset())
def get_plugin_sdk() -> SdkOut:
    """The plugin SDK for AssemblyScript: the guest library and the example plugin, as source, with how to build
    it (the ABI, for any other language, is in the docs)."""
    return sdk.sdk("assemblyscript")


@router.get(PLUGIN_PATH, name="get_plugin", permission=READ_PERMISSION, grants=READ, responses=_NOT_FOUND)
def get_plugin(plugin_id: str, principal: CurrentPrincipal) -> PluginOut:
    """One plugin: its manifest, the permissions granted and by whom, its scan's result."""
    return catalog.plugin_out(catalog.load(principal.tenant_id, plugin_id))


@router.delete(PLUGIN_PATH, name="uninstall_plugin", permission=MANAGE_PERMISSION, status_code=204, grants=WRITE,
               responses={**_NOT_FOUND, 409: {"description": "Being scanned"}, **_LIMITED})
def uninstall_plugin(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Uninstall a plugin: its store and module are purged."""
    uninstall.uninstall(principal, plugin_id, info)


@router.post(f"{PLUGIN_PATH}/load", name="load_plugin", permission=MANAGE_PERMISSION, grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "Not installed (being scanned, or rejected)"}, **_LIMITED})
def load_plugin(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> PluginOut:
    """Load an unloaded plugin: its hooks run again (a loaded one is answered as it is)."""
    return catalog.plugin_out(switching.switch(principal, plugin_id, loaded=True, info=info))


@router.post(f"{PLUGIN_PATH}/unload", name="unload_plugin", permission=MANAGE_PERMISSION, grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "Not installed (being scanned, or rejected)"}, **_LIMITED})
def unload_plugin(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> PluginOut:
    """Unload a plugin: it stays installed with its store, and none of its hooks runs until it is loaded."""
    return catalog.plugin_out(switching.switch(principal, plugin_id, loaded=False, info=info))


@router.get(f"{PLUGIN_PATH}/metrics", name="get_plugin_metrics", permission=READ_PERMISSION, grants=READ,
            responses=_NOT_FOUND)
def get_plugin_metrics(plugin_id: str, principal: CurrentPrincipal,
                       hours: Annotated[int, Query(ge=1, le=24 * 90, description="The period, back from now")] = 24,
                       ) -> PluginMetricsOut:
    """The plugin's invocations, errors, timeouts, fuel runs-out, permission denials, fuel used and p50/p95
    duration, per hook over the period and per hour."""
    plugin = catalog.load(principal.tenant_id, plugin_id)
    return metrics.report(principal.tenant_id, plugin.id, hours)


@router.post(f"{PLUGINS_PATH}/hooks/{{hook_name}}", name="run_plugin_hook", permission=MANAGE_PERMISSION,
             feature=PLUGINS, grants={*WRITE, Grant.RUNNERS_INVOKE},
             responses={404: {"description": "No loaded plugin (or not the one named) handles the hook"}})
def run_plugin_hook(hook_name: Annotated[str, Path(max_length=128, description="The hook, e.g. `versions`")],
                    body: HookRun, principal: CurrentPrincipal) -> HookRunOut:
    """Run a hook of the tenant's plugins now, with the payload given, and answer each plugin's result: for
    trying a plugin. Nothing the hook would hold up is involved; the plugins' own powers (their store...) act."""
    return manual_runs.run_by_hand(principal.tenant_id, hook_name, body)


@router.get(f"{PLUGIN_PATH}/config", name="get_plugin_config", permission=MANAGE_PERMISSION, grants=READ,
            responses=_NOT_FOUND)
def get_plugin_config(plugin_id: str, principal: CurrentPrincipal) -> ConfigOut:
    """The plugin's settings in force (defaults included), and which of its secrets are set (never their values)."""
    return configuration.read_config(principal.tenant_id, plugin_id)


@router.put(f"{PLUGIN_PATH}/config", name="put_plugin_config", permission=MANAGE_PERMISSION, grants=WRITE,
            responses={**_NOT_FOUND, 409: {"description": "Rejected by its scan"}, **_LIMITED})
def put_plugin_config(plugin_id: str, body: ConfigIn, principal: CurrentPrincipal,
                      info: CurrentRequest) -> ConfigOut:
    """Replace the plugin's settings, checked against its manifest's `config` schema (422 naming each property
    that fails it). A secret left out keeps its value; `null` clears it."""
    return configuration.write_config(principal, plugin_id, body, info)


@router.post(f"{PLUGIN_PATH}/upgrade", name="upgrade_plugin", permission=MANAGE_PERMISSION, status_code=202,
             idempotent=True, feature=PLUGINS, grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "Not installed; another version being checked"},
                        **_LIMITED})
def upgrade_plugin(plugin_id: str, body: InstallCreate, principal: CurrentPrincipal,
                   info: CurrentRequest) -> PluginOut:
    """Upgrade to an uploaded bundle of a higher version (same name). The install job checks it; if it asks for
    no permission beyond those granted it replaces the running version, else it waits (`awaiting_consent`) while
    the old version runs, until an admin approves or declines its permissions."""
    return catalog.plugin_out(upgrades.request_upgrade(principal, plugin_id, body, info))


@router.post(f"{PLUGIN_PATH}/upgrade/approve", name="approve_plugin_upgrade", permission=MANAGE_PERMISSION,
             feature=PLUGINS, grants=WRITE,
             responses={**_NOT_FOUND, 409: {"description": "No upgrade awaiting consent"}, **_LIMITED})
def approve_plugin_upgrade(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> PluginOut:
    """Grant the waiting version's permissions (recorded as granted by the caller) and run it."""
    return catalog.plugin_out(upgrades.approve(principal, plugin_id, info))


@router.delete(f"{PLUGIN_PATH}/upgrade", name="decline_plugin_upgrade", permission=MANAGE_PERMISSION,
               status_code=204, grants=WRITE,
               responses={**_NOT_FOUND, 409: {"description": "No upgrade waiting, or it is being checked"},
                          **_LIMITED})
def decline_plugin_upgrade(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Decline the waiting (or rejected) version: the installed one runs on."""
    upgrades.decline(principal, plugin_id, info)
