"""The Atrium stack: every capability construct, wired together from the declarations."""

from typing import Any

from aws_cdk import CfnOutput, Stack
from constructs import Construct

from atrium.mail.feeds import FEEDBACK_TOPIC
from infra.config import AtriumConfig
from infra.constructs.api import Api
from infra.constructs.data import Data
from infra.constructs.events import Events, StreamRelay
from infra.constructs.feeds import Feeds
from infra.constructs.function import FunctionKit
from infra.constructs.functions import Consumers, Schedules
from infra.constructs.layers import Layers
from infra.constructs.mail import Mail
from infra.constructs.observability import Dashboard
from infra.constructs.permissions import GrantTargets
from infra.constructs.storage import Storage
from infra.constructs.tasks import Tasks
from infra.constructs.tenant_isolation import TenantDataAccess
from infra.declarations import Declarations


class AtriumStack(Stack):
    def __init__(self, scope: Construct, construct_id: str, *, config: AtriumConfig, declarations: Declarations,
                 **kwargs: Any) -> None:
        super().__init__(scope, construct_id, description="Atrium: multi-tenant SaaS backend", **kwargs)
        layers = Layers(self, "Layers", groups=declarations.layer_groups)
        data = Data(self, "Data")
        storage = Storage(self, "Storage")
        mail = Mail(self, "Mail", sender_domain=config.sender_domain)
        events = Events(self, "Events", stage=config.stage, consumers=declarations.consumers)
        tasks = Tasks(self, "Tasks", stage=config.stage, tasks=declarations.tasks)
        kit = FunctionKit(
            layers=layers.all,
            group_layers=layers.groups,
            # The names atrium.kernel.config.Settings reads (secrets by ARN).
            environment={
                "ATRIUM_STAGE": config.stage,
                "ATRIUM_TABLE_NAME": data.table.table_name,
                "ATRIUM_BUS_NAME": events.bus.event_bus_name,
                "ATRIUM_SIGNING_SECRET_ID": data.signing_secret.secret_arn,
                "ATRIUM_CURSOR_SECRET_ID": data.cursor_secret.secret_arn,
                "ATRIUM_STRIPE_WEBHOOK_SECRET_ID": data.stripe_webhook_secret.secret_arn,
                "ATRIUM_MAIL_FROM": config.mail_from,
                "ATRIUM_AUDIT_SECRET_ID": storage.audit_secret.secret_arn,
                "ATRIUM_AUDIT_CHECKPOINT_BUCKET": storage.checkpoints.bucket_name,
                "ATRIUM_FILES_BUCKET": storage.files.bucket_name,
                "ATRIUM_WEBHOOK_SECRET_ID": storage.webhook_secret.secret_arn,
                "ATRIUM_MFA_SECRET_ID": storage.mfa_secret.secret_arn,
                "ATRIUM_MAIL_CONFIGURATION_SET": mail.configuration_set.configuration_set_name,
                "ATRIUM_TASK_QUEUE_PREFIX": tasks.prefix,
                "ATRIUM_TASK_SCHEDULE_GROUP": tasks.schedule_group_name,
                "ATRIUM_TASK_SCHEDULER_ROLE_ARN": tasks.scheduler_role.role_arn,
                "POWERTOOLS_SERVICE_NAME": "atrium",
                "POWERTOOLS_METRICS_NAMESPACE": "Atrium",
            },
            targets=GrantTargets(table=data.table, bus=events.bus, signing_secret=data.signing_secret,
                                 cursor_secret=data.cursor_secret,
                                 stripe_webhook_secret=data.stripe_webhook_secret, email_identity_arn=mail.identity_arn,
                                 audit_secret=storage.audit_secret, checkpoints=storage.checkpoints,
                                 files=storage.files,
                                 mail_configuration_set_arn=mail.configuration_set_arn,
                                 webhook_secret=storage.webhook_secret, mfa_secret=storage.mfa_secret,
                                 task_queue_arns=tasks.queue_arns(), task_schedules_arn=tasks.schedule_arn_pattern(),
                                 task_scheduler_role=tasks.scheduler_role),
            log_retention=config.log_retention,
        )
        relay = StreamRelay(self, "Relay", kit=kit, table=data.table)
        consumers = Consumers(self, "Consumers", kit=kit, queues=events.consumers)
        feeds = Feeds(self, "Feeds", kit=kit, feeds=declarations.feeds,
                      topics={FEEDBACK_TOPIC: mail.feedback_topic})
        # Its construct id predates the name: kept, so the functions' logical ids stay.
        jobs = Schedules(self, "Jobs", kit=kit, schedules=declarations.schedules)
        tasks.add_functions(kit)
        api = Api(self, "Api", stage=config.stage, kit=kit, routes=declarations.routes,
                  rate_limit=config.api_rate_limit, burst_limit=config.api_burst_limit)
        # Consumers send mail whose one-click unsubscribe links lead to this API.
        for consumer in consumers.functions.values():
            consumer.function.add_environment("ATRIUM_API_URL", api.url)
        # Isolation below the code: a role bounded to one tenant's keys, for the route functions.
        TenantDataAccess(self, "TenantDataAccess", table=data.table, routes=declarations.routes,
                         functions=api.functions)
        Dashboard(self, "Observability", stage=config.stage, api=api.http_api, table=data.table, dlqs=[
            *((queue.spec.name, queue.dlq) for queue in events.consumers),
            *((feed.spec.name, feed.dlq) for feed in feeds.feeds),
            *((task.spec.name, task.dlq) for task in tasks.queues),
            ("relay", relay.dlq), ("undelivered events", events.undelivered), ("jobs", jobs.dlq),
        ])
        CfnOutput(self, "ApiUrl", value=api.url, description="Base URL of the HTTP API")
        CfnOutput(self, "TableName", value=data.table.table_name)
        CfnOutput(self, "BusName", value=events.bus.event_bus_name)
