"""Plugin routes: upload a bundle, install it (scanned by a job), list and read the tenant's plugins, uninstall
one. Installing needs the Enterprise plan's `plugins` feature; reading and uninstalling do not, so a tenant that
left the plan can still see and remove what it installed."""

from typing import TYPE_CHECKING

from fastapi import Response

from atrium.billing.api import Feature, FeatureGate
from atrium.kernel.grants import READ, WRITE, Grant
from atrium.kernel.http.dependencies import CurrentPrincipal, CurrentRequest
from atrium.kernel.http.paging import Paging
from atrium.kernel.http.routing import ContextRouter
from atrium.kernel.lazy import lazy_modules
from atrium.plugins.events import MANAGE_PERMISSION, READ_PERMISSION
from atrium.plugins.schemas import InstallCreate, PluginList, PluginOut, UploadCreate, UploadOut

if TYPE_CHECKING:
    from atrium.plugins import catalog, installs, uninstall
else:
    catalog, installs, uninstall = lazy_modules("atrium.plugins", "catalog", "installs", "uninstall")

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


@router.get(PLUGIN_PATH, name="get_plugin", permission=READ_PERMISSION, grants=READ, responses=_NOT_FOUND)
def get_plugin(plugin_id: str, principal: CurrentPrincipal) -> PluginOut:
    """One plugin: its manifest, the permissions granted and by whom, its scan's result."""
    return catalog.plugin_out(catalog.load(principal.tenant_id, plugin_id))


@router.delete(PLUGIN_PATH, name="uninstall_plugin", permission=MANAGE_PERMISSION, status_code=204, grants=WRITE,
               responses={**_NOT_FOUND, 409: {"description": "Being scanned"}, **_LIMITED})
def uninstall_plugin(plugin_id: str, principal: CurrentPrincipal, info: CurrentRequest) -> None:
    """Uninstall a plugin: its store and module are purged."""
    uninstall.uninstall(principal, plugin_id, info)
