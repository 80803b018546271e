"""The HTTP API: one function per operation id, routes, authorizer, stage."""

import json
from typing import Any

import pytest

from atrium import manifest
from atrium.kernel.config import settings
from atrium.kernel.http.routing import RouteSpec
from infra.constructs.api import MAX_ROUTES_PER_STACK
from infra.paths import CDK_JSON

ROUTES = manifest.routes()
CONTEXT = json.loads(CDK_JSON.read_text())["context"]


def route_key(spec: RouteSpec) -> str:
    return f"{spec.method.upper()} {spec.path}"


@pytest.fixture(scope="module")
def routes(synthesized: Any) -> dict[str, Any]:
    found = {r.properties["RouteKey"]: r for r in synthesized.resources("AWS::ApiGatewayV2::Route")}
    assert len(found) == len(synthesized.resources("AWS::ApiGatewayV2::Route")), "duplicate route keys"
    return found


def test_manifest_declares_routes() -> None:
    assert ROUTES, "atrium.manifest.routes() is empty: nothing to test"


def test_one_function_per_operation_id(synthesized: Any) -> None:
    functions = synthesized.functions("ATRIUM_ROUTE")
    assert sorted(functions) == sorted(spec.operation_id for spec in ROUTES)
    api_functions = [f for f in synthesized.resources("AWS::Lambda::Function")
                     if f.properties["Handler"] == "api.handler"]
    assert len(api_functions) == len(ROUTES)
    for fn in functions.values():
        assert fn.properties["Runtime"] == "python3.12"
        assert fn.properties["Architectures"] == ["x86_64"]


def test_route_functions_live_in_one_nested_stack_per_context_or_per_feature_of_a_large_one(synthesized: Any) -> None:
    """A context's routes share a nested stack, unless it has more than one stack holds: then each feature folder's
    share one; no stack holds two contexts' or two features' routes, nor more than MAX_ROUTES_PER_STACK."""
    functions = synthesized.functions("ATRIUM_ROUTE")
    stacks: dict[tuple[str, str], set[str]] = {}
    for spec in ROUTES:
        large = sum(other.context == spec.context for other in ROUTES) > MAX_ROUTES_PER_STACK
        feature = spec.endpoint.__module__.rpartition(".")[0] if large else ""
        stacks.setdefault((spec.context, feature), set()).add(functions[spec.operation_id].stack)
    assert all(len(paths) == 1 for paths in stacks.values()), stacks
    paths = [next(iter(p)) for p in stacks.values()]
    assert len(set(paths)) == len(paths), "two contexts or features share a nested stack"
    assert all(path in synthesized.nested_in for path in paths)
    held = [sum(functions[spec.operation_id].stack == path for spec in ROUTES) for path in paths]
    assert max(held) <= MAX_ROUTES_PER_STACK
    assert any(len([key for key in stacks if key[0] == context]) > 1 for context in {spec.context for spec in ROUTES})


def test_every_route_integrates_its_own_function(synthesized: Any, routes: dict[str, Any]) -> None:
    assert sorted(routes) == sorted(route_key(spec) for spec in ROUTES)
    api = synthesized.resources("AWS::ApiGatewayV2::Api")
    assert len(api) == 1
    for spec in ROUTES:
        route = routes[route_key(spec)]
        assert synthesized.resolve(route.stack, route.properties["ApiId"]) == api[0]
        join = route.properties["Target"]["Fn::Join"][1]
        assert join[0] == "integrations/"
        integration = synthesized.resolve(route.stack, join[1])
        assert integration.type == "AWS::ApiGatewayV2::Integration"
        assert integration.properties["IntegrationType"] == "AWS_PROXY"
        assert integration.properties["PayloadFormatVersion"] == "2.0"
        function = synthesized.resolve(integration.stack, integration.properties["IntegrationUri"])
        assert function.properties["Environment"]["Variables"]["ATRIUM_ROUTE"] == spec.operation_id


def test_every_route_has_the_authorizer_unless_public(synthesized: Any, routes: dict[str, Any]) -> None:
    (authorizer,) = synthesized.resources("AWS::ApiGatewayV2::Authorizer")
    for spec in ROUTES:
        props = routes[route_key(spec)].properties
        if spec.is_public:
            assert props.get("AuthorizationType", "NONE") == "NONE", spec.operation_id
            assert "AuthorizerId" not in props, spec.operation_id
        else:
            assert props["AuthorizationType"] == "CUSTOM", spec.operation_id
            assert synthesized.resolve(routes[route_key(spec)].stack, props["AuthorizerId"]) == authorizer


def test_authorizer_caches_so_that_changes_apply_within_60_seconds(synthesized: Any) -> None:
    (authorizer,) = synthesized.resources("AWS::ApiGatewayV2::Authorizer")
    props = authorizer.properties
    assert props["AuthorizerType"] == "REQUEST"
    assert props["EnableSimpleResponses"] is True
    assert props["AuthorizerPayloadFormatVersion"] == "2.0"
    assert props["IdentitySource"] == ["$request.header.Authorization"]
    # API Gateway's cache and the authorizer's own cache of live access, one after the other.
    assert props["AuthorizerResultTtlInSeconds"] + settings().access_cache_seconds <= 60
    (target,) = [part for part in props["AuthorizerUri"]["Fn::Join"][1] if isinstance(part, dict)
                 and "Fn::GetAtt" in part]
    function = synthesized.resolve(authorizer.stack, target)
    assert function.properties["Handler"] == "authorizer.handler"


def test_default_stage_throttles_and_writes_access_logs(synthesized: Any) -> None:
    (stage,) = synthesized.resources("AWS::ApiGatewayV2::Stage")
    props = stage.properties
    assert props["StageName"] == "$default"
    assert props["AutoDeploy"] is True
    assert props["DefaultRouteSettings"] == {"ThrottlingRateLimit": CONTEXT["atrium:apiRateLimit"],
                                             "ThrottlingBurstLimit": CONTEXT["atrium:apiBurstLimit"]}
    logs = synthesized.resolve(stage.stack, props["AccessLogSettings"]["DestinationArn"])
    assert logs.type == "AWS::Logs::LogGroup"
    assert logs.properties["RetentionInDays"] > 0
    assert json.loads(props["AccessLogSettings"]["Format"])["requestId"] == "$context.requestId"
