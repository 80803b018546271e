"""One nested stack per context (or per feature folder of a large one) holding its route functions, integrations
and routes, so the main stack stays far from CloudFormation's 500-resource limit as contexts grow."""

from aws_cdk import Duration, NestedStack
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_apigatewayv2_integrations as integrations
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.kernel.http.routing import RouteSpec
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.naming import pascal

# API Gateway gives up at 30 s; the function stops first so the client gets a clean error.
ROUTE_TIMEOUT = Duration.seconds(29)


class RoutesStack(NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, context: str, feature: str, routes: list[RouteSpec],
                 kit: FunctionKit, api: apigwv2.IHttpApi, authorizer: apigwv2.IHttpRouteAuthorizer) -> None:
        super().__init__(scope, construct_id, description=" ".join(filter(None, ("Atrium", context, feature,
                                                                                "routes"))))
        self.functions: dict[str, AtriumFunction] = {}
        for spec in routes:
            if spec.context != context:
                raise ValueError(f"{spec.operation_id} does not belong to context {context}")
            self.functions[spec.operation_id] = self._route(spec, kit, api, authorizer)

    def _route(self, spec: RouteSpec, kit: FunctionKit, api: apigwv2.IHttpApi,
               authorizer: apigwv2.IHttpRouteAuthorizer) -> AtriumFunction:
        construct_id = pascal(spec.operation_id)
        function = AtriumFunction(
            self, construct_id, kit=kit, handler="api.handler", timeout=ROUTE_TIMEOUT,
            description=f"{spec.method} {spec.path} ({spec.operation_id})", grants=spec.grants,
            environment={"ATRIUM_ROUTE": spec.operation_id},
        )
        route = apigwv2.HttpRoute(
            self, f"{construct_id}Route", http_api=api,
            route_key=apigwv2.HttpRouteKey.with_(spec.path, apigwv2.HttpMethod(spec.method.upper())),
            integration=integrations.HttpLambdaIntegration(f"{construct_id}Integration", function.function),
            authorizer=None if spec.is_public else authorizer,
        )
        if spec.is_public:
            NagSuppressions.add_resource_suppressions(route, [NagPackSuppression(
                id="AwsSolutions-APIG4", reason=f"{spec.operation_id} is declared permission=PUBLIC "
                                                "(reachable without credentials by design).")])
        return function
