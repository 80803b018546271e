"""The declared SES identity mail is sent from (a domain identity, verified by DKIM), and the configuration set
every send names, which publishes sending events (bounces, complaints) to a declared topic."""

from aws_cdk import CfnOutput, Stack
from aws_cdk import aws_ses as ses
from constructs import Construct

from atrium.kernel.resources import Access, ConfigurationSet, MailIdentity
from infra.constructs.built import Deployment, supported
from infra.constructs.permissions import Statement

SEND = ("ses:SendEmail",)


class BuiltMailIdentity:
    """The sender domain's identity; functions send from the configured address in it."""

    def __init__(self, scope: Construct, construct_id: str, declaration: MailIdentity,
                 deployment: Deployment) -> None:
        self.declaration, self.config = declaration, deployment.config
        domain = deployment.config.sender_domain
        self.identity = ses.EmailIdentity(scope, construct_id, identity=ses.Identity.domain(domain))
        # Without a hosted zone in this stack, the DKIM CNAMEs must be added to DNS by hand.
        for number, record in enumerate(self.identity.dkim_records, start=1):
            CfnOutput(scope, f"DkimRecord{number}", value=f"{record.name} CNAME {record.value}",
                      description=f"DNS record {number}/3 that verifies {domain} for SES")

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.config.mail_from}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.SEND)
        # (An SES account still in the sandbox also checks recipients.)
        return [Statement(SEND, (self.identity.email_identity_arn,))]


class BuiltConfigurationSet:
    def __init__(self, scope: Construct, construct_id: str, declaration: ConfigurationSet,
                 deployment: Deployment) -> None:
        self.declaration = declaration
        self.configuration_set = ses.ConfigurationSet(scope, construct_id)
        # Named after its events: BouncesAndComplaints.
        self.configuration_set.add_event_destination(
            "And".join(f"{event.title()}s" for event in declaration.events),
            destination=ses.EventDestination.sns_topic(deployment.topics[declaration.topic]),
            events=[ses.EmailSendingEvent[event.upper()] for event in declaration.events])

    def environment(self) -> dict[str, str]:
        return {self.declaration.setting: self.configuration_set.configuration_set_name}

    def statements(self, access: Access) -> list[Statement]:
        supported(self.declaration, access, Access.SEND)
        arn = Stack.of(self.configuration_set).format_arn(
            service="ses", resource="configuration-set", resource_name=self.configuration_set.configuration_set_name)
        return [Statement(SEND, (arn,))]
