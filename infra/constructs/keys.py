"""A declared KMS key that wraps other keys (the tenants' data keys): rotated yearly by KMS, kept when the stack is
deleted (what it wrapped would be unreadable without it)."""

from aws_cdk import RemovalPolicy
from aws_cdk import aws_kms as kms
from constructs import Construct

from atrium.kernel.resources import Access, EncryptionKey
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement

_ACTIONS = {Access.READ: "kms:Decrypt", Access.WRITE: "kms:GenerateDataKey"}


class BuiltKey:
    def __init__(self, scope: Construct, construct_id: str, declaration: EncryptionKey, _: Deployment) -> None:
        self.declaration = declaration
        self.key = kms.Key(scope, construct_id, description=declaration.description, enable_key_rotation=True,
                           removal_policy=RemovalPolicy.RETAIN)

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.key.key_arn}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.READ | Access.WRITE)
        return [Statement(tuple(action for flag, action in _ACTIONS.items() if flag in access), (self.key.key_arn,))]
