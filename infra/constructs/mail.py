"""The SES identity mail is sent from (a domain identity, verified by DKIM)."""

from aws_cdk import CfnOutput
from aws_cdk import aws_ses as ses
from constructs import Construct


class Mail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, sender_domain: str) -> None:
        super().__init__(scope, construct_id)
        self.identity = ses.EmailIdentity(self, "Sender", identity=ses.Identity.domain(sender_domain))
        # Without a hosted zone in this stack, the DKIM CNAMEs must be added to DNS by hand.
        for number, record in enumerate(self.identity.dkim_records, start=1):
            CfnOutput(self, f"DkimRecord{number}", value=f"{record.name} CNAME {record.value}",
                      description=f"DNS record {number}/3 that verifies {sender_domain} for SES")

    @property
    def identity_arn(self) -> str:
        return self.identity.email_identity_arn
