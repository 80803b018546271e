"""Deployment settings read from CDK context (defaults live in cdk.json)."""

from dataclasses import dataclass
from typing import Any

from aws_cdk import aws_logs as logs
from constructs import Node


@dataclass(frozen=True)
class AtriumConfig:
    stage: str
    mail_from: str
    sender_domain: str
    log_retention_name: str
    api_rate_limit: int
    api_burst_limit: int

    def __post_init__(self) -> None:
        if not self.mail_from.endswith(f"@{self.sender_domain}"):
            raise ValueError(f"atrium:mailFrom {self.mail_from!r} is not an address of {self.sender_domain!r}")
        if self.log_retention_name not in logs.RetentionDays.__members__:
            raise ValueError(f"atrium:logRetention {self.log_retention_name!r} is not a RetentionDays name, "
                             "e.g. ONE_MONTH")

    @property
    def log_retention(self) -> logs.RetentionDays:
        return logs.RetentionDays[self.log_retention_name]

    @classmethod
    def from_context(cls, node: Node) -> "AtriumConfig":
        def get(key: str, default: Any) -> Any:
            value = node.try_get_context(f"atrium:{key}")
            return default if value is None else value

        return cls(
            stage=str(get("stage", "dev")),
            mail_from=str(get("mailFrom", "no-reply@example.com")),
            sender_domain=str(get("senderDomain", "example.com")),
            log_retention_name=str(get("logRetention", "ONE_MONTH")),
            api_rate_limit=int(get("apiRateLimit", 100)),
            api_burst_limit=int(get("apiBurstLimit", 200)),
        )
