"""The SES identity mail is sent from (a domain identity, verified by DKIM), and the configuration set
every send names: it publishes bounces and complaints to the feedback topic (read by the mail feed)."""

from aws_cdk import Aws, CfnOutput, Stack
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_ses as ses
from aws_cdk import aws_sns as sns
from constructs import Construct

SES = iam.ServicePrincipal("ses.amazonaws.com")


class Mail(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, sender_domain: str) -> None:
        super().__init__(scope, construct_id)
        self.identity = ses.EmailIdentity(self, "Sender", identity=ses.Identity.domain(sender_domain))
        # Without a hosted zone in this stack, the DKIM CNAMEs must be added to DNS by hand.
        for number, record in enumerate(self.identity.dkim_records, start=1):
            CfnOutput(self, f"DkimRecord{number}", value=f"{record.name} CNAME {record.value}",
                      description=f"DNS record {number}/3 that verifies {sender_domain} for SES")
        # SES can publish to an encrypted topic only with a customer key whose policy lets SES use it.
        key = kms.Key(self, "FeedbackKey", enable_key_rotation=True,
                      description="Encrypts SES bounce and complaint notifications at rest")
        key.add_to_resource_policy(iam.PolicyStatement(
            principals=[SES], actions=["kms:GenerateDataKey*", "kms:Decrypt"], resources=["*"],
            conditions={"StringEquals": {"aws:SourceAccount": Aws.ACCOUNT_ID}}))
        self.feedback_topic = sns.Topic(self, "Feedback", master_key=key, enforce_ssl=True,
                                        display_name="SES bounces and complaints")
        self.configuration_set = ses.ConfigurationSet(self, "ConfigurationSet")
        self.configuration_set.add_event_destination(
            "BouncesAndComplaints", destination=ses.EventDestination.sns_topic(self.feedback_topic),
            events=[ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT])

    @property
    def identity_arn(self) -> str:
        return self.identity.email_identity_arn

    @property
    def configuration_set_arn(self) -> str:
        return Stack.of(self).format_arn(service="ses", resource="configuration-set",
                                          resource_name=self.configuration_set.configuration_set_name)
