"""A declared secret in Secrets Manager: a generated key (64 random characters), an initial value the code owns
after that, or a placeholder for a value an outside service issues. Secrets Manager rotates none of them (each
declaration says why, for cdk-nag)."""

from aws_cdk import SecretValue
from aws_cdk import aws_secretsmanager as secretsmanager
from cdk_nag import NagPackSuppression, NagSuppressions
from constructs import Construct

from atrium.kernel.resources import Access, Generated, Initial, Issued, Secret
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement

GENERATED_LENGTH = 64
_ACTIONS = {Access.READ: "secretsmanager:GetSecretValue", Access.WRITE: "secretsmanager:PutSecretValue"}


class BuiltSecret:
    def __init__(self, scope: Construct, construct_id: str, declaration: Secret, deployment: Deployment) -> None:
        self.declaration = declaration
        value: SecretValue | None = None
        match declaration.value:
            case Initial(text=text):
                value = SecretValue.unsafe_plain_text(text)
            case Issued(prefix=prefix):
                value = SecretValue.unsafe_plain_text(f"{prefix}replace_me")  # until the issued value is put in
        generated = secretsmanager.SecretStringGenerator(password_length=GENERATED_LENGTH, exclude_punctuation=True)
        self.secret = secretsmanager.Secret(
            scope, construct_id, description=declaration.description, secret_string_value=value,
            generate_secret_string=generated if isinstance(declaration.value, Generated) else None)
        NagSuppressions.add_resource_suppressions(self.secret, [NagPackSuppression(
            id="AwsSolutions-SMG4", reason=declaration.not_rotated)])

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.secret.secret_arn}  # the runtime reads it by ARN

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.READ | Access.WRITE)
        return [Statement(tuple(action for flag, action in _ACTIONS.items() if flag in access),
                          (self.secret.secret_arn,))]
