"""The HTTP API: authorizer, default stage (throttling, access logs) and one function per
operation id, grouped into one nested stack per context, or per feature folder of a context too large for one
(CloudFormation allows 500 resources a stack, and a route takes about nine)."""

import json
from collections.abc import Sequence

import jsii
from aws_cdk import Duration
from aws_cdk import aws_apigateway as apigw
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_logs as logs
from constructs import Construct

from atrium import manifest
from atrium.identity.authorizer import GRANTS as AUTHORIZER_GRANTS
from atrium.kernel.http.routing import RouteSpec
from infra import sizing
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.naming import pascal
from infra.stacks.routes import RoutesStack

AUTHORIZER_TIMEOUT = Duration.seconds(10)
# Routes a nested stack holds at most (about 9 resources each: function, role, policy, log group, two alarms,
# integration, route, permission), well within the 500 a stack may have.
MAX_ROUTES_PER_STACK = 40
AUTHORIZER_CACHE_TTL = Duration.seconds(sizing.AUTHORIZER_CACHE_TTL_SECONDS)
ACCESS_LOG_FORMAT = json.dumps({
    "requestId": "$context.requestId", "ip": "$context.identity.sourceIp", "time": "$context.requestTime",
    "routeKey": "$context.routeKey", "status": "$context.status", "protocol": "$context.protocol",
    "responseLength": "$context.responseLength", "latency": "$context.responseLatency",
    "integrationLatency": "$context.integrationLatency", "integrationError": "$context.integrationErrorMessage",
    "authorizerError": "$context.authorizer.error", "userAgent": "$context.identity.userAgent",
})


@jsii.implements(apigwv2.IAccessLogSettings)
class _AccessLogs:
    def __init__(self, log_group: logs.ILogGroup) -> None:
        self._log_group = log_group

    @property
    def destination(self) -> apigwv2.IAccessLogDestination:
        return apigwv2.LogGroupLogDestination(self._log_group)

    @property
    def format(self) -> apigw.AccessLogFormat:
        return apigw.AccessLogFormat.custom(ACCESS_LOG_FORMAT)


class Api(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, kit: FunctionKit,
                 routes: Sequence[RouteSpec], rate_limit: int, burst_limit: int) -> None:
        super().__init__(scope, construct_id)
        self.http_api = apigwv2.HttpApi(self, "HttpApi", api_name=f"atrium-{stage}", create_default_stage=False,
                                        description="Atrium HTTP API")
        self.access_logs = logs.LogGroup(self, "AccessLogs", retention=kit.log_retention)
        self.stage = apigwv2.HttpStage(
            self, "DefaultStage", http_api=self.http_api, stage_name="$default", auto_deploy=True,
            throttle=apigwv2.ThrottleSettings(rate_limit=rate_limit, burst_limit=burst_limit),
            access_log_settings=_AccessLogs(self.access_logs),
        )
        self.authorizer_function = AtriumFunction(
            self, "Authorizer", kit=kit, handler="authorizer.handler", grants=AUTHORIZER_GRANTS,
            timeout=AUTHORIZER_TIMEOUT, description="HTTP API authorizer: bearer credential -> principal",
        )
        self.authorizer = authorizers.HttpLambdaAuthorizer(
            "Authorizer", self.authorizer_function.function,
            response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
            identity_source=["$request.header.Authorization"], results_cache_ttl=AUTHORIZER_CACHE_TTL,
        )
        self.route_stacks: dict[str, RoutesStack] = {}
        for context in dict.fromkeys(spec.context for spec in routes):
            for feature, grouped in _stack_groups([spec for spec in routes if spec.context == context]).items():
                construct_id = f"{pascal(context)}{pascal(feature)}Routes"
                self.route_stacks[construct_id] = RoutesStack(
                    self, construct_id, context=context, feature=feature, kit=kit, api=self.http_api,
                    authorizer=self.authorizer, routes=grouped,
                )

    @property
    def functions(self) -> dict[str, AtriumFunction]:
        """Route functions by operation id."""
        return {op: fn for stack in self.route_stacks.values() for op, fn in stack.functions.items()}

    @property
    def url(self) -> str:
        return str(self.http_api.api_endpoint)


def _stack_groups(routes: list[RouteSpec]) -> dict[str, list[RouteSpec]]:
    """A context's routes in one group (feature ""), or, past ``MAX_ROUTES_PER_STACK``, one group per feature
    folder (the package its routes module sits in), so a growing context never outgrows a stack."""
    if len(routes) <= MAX_ROUTES_PER_STACK:
        return {"": routes}
    groups: dict[str, list[RouteSpec]] = {}
    for spec in routes:
        package = manifest.CONTEXTS[spec.context]
        feature = spec.endpoint.__module__.removeprefix(f"{package}.").rpartition(".")[0]
        groups.setdefault(feature.replace(".", "_"), []).append(spec)
    too_large = [feature for feature, grouped in groups.items() if len(grouped) > MAX_ROUTES_PER_STACK]
    if too_large:
        raise ValueError(f"feature folders {too_large} hold more than {MAX_ROUTES_PER_STACK} routes: split them")
    return groups
