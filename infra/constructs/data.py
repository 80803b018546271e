"""The one table (from ``atrium.kernel.store.table.TABLE``, through its resource declaration)."""

from aws_cdk import RemovalPolicy
from aws_cdk import aws_dynamodb as dynamodb
from constructs import Construct

from atrium.kernel.http import rate_limits
from atrium.kernel.resources import Access, Table
from atrium.kernel.store.keys import DATA_KEYS, PLUGIN_STORE_KEYS
from atrium.kernel.store.tenant_credentials import GLOBAL_KEYS
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Conditions, Statement

TABLE_READ_ACTIONS = ("dynamodb:GetItem", "dynamodb:Query", "dynamodb:BatchGetItem", "dynamodb:ConditionCheckItem")
TABLE_WRITE_ACTIONS = ("dynamodb:PutItem", "dynamodb:UpdateItem", "dynamodb:DeleteItem",
                       "dynamodb:ConditionCheckItem")
# A function's own role reads and writes the global items only: tenant data is reached through a session of the
# tenant data role (infra/constructs/tenant_isolation.py). The Null guard refuses a request naming no key.
GLOBAL_ITEMS_ONLY: Conditions = {"ForAllValues:StringLike": {"dynamodb:LeadingKeys": [GLOBAL_KEYS]},
                     "Null": {"dynamodb:LeadingKeys": "false"}}


def _string_key(name: str) -> dynamodb.Attribute:
    return dynamodb.Attribute(name=name, type=dynamodb.AttributeType.STRING)


class BuiltTable:
    def __init__(self, scope: Construct, construct_id: str, declaration: Table, deployment: Deployment) -> None:
        self.declaration, spec = declaration, declaration.spec
        self.table = dynamodb.Table(
            scope, construct_id,
            partition_key=_string_key(spec.partition_key), sort_key=_string_key(spec.sort_key),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True),
            deletion_protection=True,
            encryption=dynamodb.TableEncryption.AWS_MANAGED,
            stream=dynamodb.StreamViewType[spec.stream_view],
            time_to_live_attribute=spec.ttl_attribute,
            removal_policy=RemovalPolicy.RETAIN,
        )
        for index in spec.indexes:
            self.table.add_global_secondary_index(
                index_name=index.name, partition_key=_string_key(index.partition_key),
                sort_key=_string_key(index.sort_key), projection_type=dynamodb.ProjectionType.ALL,
            )

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.table.table_name}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access,
                  Access.READ | Access.WRITE | Access.COUNT | Access.SCAN | Access.PLUGIN_STORE)
        # Named indexes, not ``index/*``: a reader reaches exactly the declared GSIs.
        indexes = tuple(f"{self.table.table_arn}/index/{index.name}" for index in self.declaration.spec.indexes)
        found = []
        if Access.READ in access:
            found.append(Statement(TABLE_READ_ACTIONS, (self.table.table_arn, *indexes), GLOBAL_ITEMS_ONLY))
        if Access.WRITE in access:
            found.append(Statement(TABLE_WRITE_ACTIONS, (self.table.table_arn,), GLOBAL_ITEMS_ONLY))
        # Only the windows' items, whoever's they are: a route holding no table grant counts its tenant's window
        # with its own role (adding 1 to counters is all it may do there).
        if Access.COUNT in access:
            found.append(Statement(("dynamodb:UpdateItem",), (self.table.table_arn,), {
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": list(rate_limits.KEY_PATTERNS)}}))
        # The table alone, not its indexes, and no condition: a Scan names no leading key. Items only reach a
        # function this way; what it writes, and every other read, goes through the tenant's session.
        # The plugin runner's own role: plugins' stores alone (whichever tenant's: the runner holds no tenant
        # session, and the partition of each call comes from its caller), and the tenants' wrapped data keys their
        # values are sealed with.
        if Access.PLUGIN_STORE in access:
            found.append(Statement(("dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:DeleteItem", "dynamodb:Query",
                                    "dynamodb:UpdateItem"), (self.table.table_arn,), {
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [PLUGIN_STORE_KEYS]},
                "Null": {"dynamodb:LeadingKeys": "false"}}))
            found.append(Statement(("dynamodb:GetItem",), (self.table.table_arn,), {
                "ForAllValues:StringLike": {"dynamodb:LeadingKeys": [DATA_KEYS]},
                "Null": {"dynamodb:LeadingKeys": "false"}}))
        if Access.SCAN in access:
            found.append(Statement(("dynamodb:Scan",), (self.table.table_arn,)))
        return found
