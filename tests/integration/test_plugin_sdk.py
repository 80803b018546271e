"""The AssemblyScript SDK's example plugin (shared/atrium/plugins/sdk/assemblyscript), built from its source by
`make plugins`, passes the scan and runs in the sandbox: a hook answering from its input, and one keeping a count in
the plugin's own store, which fails cleanly without the permission."""


import pytest

from atrium.kernel import ids
from atrium.kernel.tenancy import tenant_scope
from atrium.plugins.runtime.abi import Limits
from atrium.plugins.runtime.sandbox import Runtime
from atrium.plugins.runtime.scan import scan
from atrium.plugins.storage import storage_powers
from atrium_local.provision import Provisioned
from tests.support.plugins import example_plugin

RUNTIME = Runtime()


@pytest.fixture(scope="module")
def example() -> bytes:
    return example_plugin()


def test_the_example_plugin_passes_the_scan_with_storage_only(example: bytes) -> None:
    granted = scan(RUNTIME.engine, example, frozenset({"storage"}), memory_limit=Limits().memory_bytes)
    assert granted.passed and granted.permissions_used == {"storage"}
    assert granted.hooks == ("count", "hello", "proof_before_submit", "proof_version_added", "versions")
    refused = scan(RUNTIME.engine, example, frozenset(), memory_limit=Limits().memory_bytes)
    assert refused.findings == ("imports atrium.storage_set without the permission 'storage'",
                                "imports atrium.storage_get without the permission 'storage'")


def test_its_hooks_run_in_the_sandbox_and_keep_their_count_in_the_store(example: bytes, aws: Provisioned) -> None:
    tenant_id = ids.new_id("ten")
    hello = RUNTIME.invoke(example, "hello", {"proof_id": "prf_1"}, granted=frozenset(), powers={},
                           limits=Limits())
    assert hello.outcome == "ok" and hello.logs == ["hello called"]
    assert hello.answer == {"greeting": "hello from AssemblyScript", "input_chars": len('{"proof_id": "prf_1"}')}
    with tenant_scope(tenant_id):
        counts = [RUNTIME.invoke(example, "count", {}, granted=frozenset({"storage"}),
                                 powers=storage_powers(tenant_id, "plg_example"), limits=Limits()).answer
                  for _ in range(3)]
        assert counts == [{"count": 1}, {"count": 2}, {"count": 3}]
        denied = RUNTIME.invoke(example, "count", {}, granted=frozenset(),
                                powers=storage_powers(tenant_id, "plg_example"), limits=Limits())
    assert denied.outcome == "trap" and denied.denied == {"storage": 1}
    assert "storage_get needs the permission 'storage'" in str(denied.error)
