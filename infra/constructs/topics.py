"""A declared SNS topic an AWS service publishes to: encrypted with a customer key whose policy lets that service
use it (a service can publish to an encrypted topic only so), and TLS-only."""

from aws_cdk import Aws
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_sns as sns
from constructs import Construct

from atrium.kernel.resources import Access, NotificationTopic
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement


class BuiltTopic:
    def __init__(self, scope: Construct, construct_id: str, declaration: NotificationTopic,
                 deployment: Deployment) -> None:
        self.declaration = declaration
        key = kms.Key(scope, f"{construct_id}Key", enable_key_rotation=True,
                      description=f"Encrypts {declaration.description} at rest")
        key.add_to_resource_policy(iam.PolicyStatement(
            principals=[iam.ServicePrincipal(declaration.publisher)], actions=["kms:GenerateDataKey*", "kms:Decrypt"],
            resources=["*"], conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        self.topic = sns.Topic(scope, construct_id, master_key=key, enforce_ssl=True,
                               display_name=declaration.description)

    def environment(self) -> dict[str, str]:
        return {}  # consumers subscribe to it; no function needs its name

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access(0))
        return []
