"""The Atrium stack: every capability construct, wired together from the declarations."""

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from infra.config import AtriumConfig
from infra.constructs.api import Api
from infra.constructs.consumers import Consumer, Fillers, send_statements, task_queue_arns
from infra.constructs.data import BuiltTable
from infra.constructs.events import BuiltBus, StreamRelay
from infra.constructs.function import FunctionKit
from infra.constructs.layers import Layers
from infra.constructs.observability import Dashboard
from infra.constructs.permissions import GrantTargets
from infra.constructs.resources import Resources
from infra.constructs.runners import Runners, invoke_statement, runner_function_prefix
from infra.constructs.schedules import Schedules
from infra.constructs.tasks import BuiltScheduleGroup, task_queue_prefix
from infra.constructs.tenant_isolation import TenantDataAccess, TenantDataRole
from infra.declarations import Declarations
from infra.stacks.consumers import consumer_functions as functions_of


class AtriumStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: AtriumConfig, declarations: Declarations,
                 **kwargs: Any) -> None:
        super().__init__(scope, construct_id, description="Atrium: multi-tenant SaaS backend", **kwargs)
        layers = Layers(self, "Layers", groups=declarations.layer_groups)
        resources = Resources(self, declarations.resources, config)
        table, bus = resources.one(BuiltTable).table, resources.one(BuiltBus)
        prefix = task_queue_prefix(config.stage)
        fillers = Fillers(bus=bus.bus, undelivered=bus.undelivered, topics=resources.topics, task_queue_prefix=prefix)
        consumers = [Consumer(self, spec=spec, fillers=fillers) for spec in declarations.consumers]
        resources.one(BuiltScheduleGroup).send_to(task_queue_arns(consumers))
        kit = FunctionKit(
            layers=layers.all,
            group_layers=layers.groups,
            # What atrium.kernel.config.Settings reads: the declared resources' names (secrets by ARN), and where
            # task queues are.
            environment={
                "ATRIUM_STAGE": config.stage,
                **resources.environment(),
                "ATRIUM_TASK_QUEUE_PREFIX": prefix,
                "ATRIUM_RUNNER_FUNCTION_PREFIX": runner_function_prefix(config.stage),
                "POWERTOOLS_SERVICE_NAME": "atrium",
                "POWERTOOLS_METRICS_NAMESPACE": "Atrium",
            },
            targets=GrantTargets.of([*send_statements(consumers), *resources.grant_statements(),
                                     invoke_statement(self, config.stage)]),
            log_retention=config.log_retention,
            tenant_data=TenantDataRole.of(self),
        )
        relay = StreamRelay(self, "Relay", kit=kit, table=table)
        consumer_functions = functions_of(Construct(self, "ConsumerFunctions"), consumers, kit)
        # Its construct id predates the name: kept, so the functions' logical ids stay.
        jobs = Schedules(self, "Jobs", kit=kit, schedules=declarations.schedules)
        Runners(self, "Runners", kit=kit, stage=config.stage, runners=declarations.runners)
        api = Api(self, "Api", stage=config.stage, kit=kit, routes=declarations.routes,
                  rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit)
        # Consumers send mail whose one-click unsubscribe links lead to this API.
        for function in consumer_functions:
            function.function.add_environment("ATRIUM_API_URL", api.url)
        # Isolation below the code: a role bounded to one tenant's keys (and the global ones), for every function
        # holding a table grant.
        TenantDataAccess(self, "TenantDataAccess", table=table, where=kit.tenant_data)
        Dashboard(self, "Observability", stage=config.stage, api=api.http_api, table=table, dlqs=[
            *((consumer.spec.name, consumer.dlq) for consumer in consumers),
            ("relay", relay.dlq), ("undelivered events", bus.undelivered), ("jobs", jobs.dlq),
        ])
        CfnOutput(self, "ApiUrl", value=api.url, description="Base URL of the HTTP API")
        CfnOutput(self, "TableName", value=table.table_name)
        CfnOutput(self, "BusName", value=bus.bus.event_bus_name)
