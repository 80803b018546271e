"""The moto world is provisioned once per test process and put back before each test
(``tests/support/moto_snapshot.py``): a test sees nothing another test wrote."""

import pytest

from atrium.kernel.config import settings
from atrium_local.stripe_fake.server import StripeFakeServer

ISOLATION_TESTS = '''
from email.message import EmailMessage
from email.utils import formatdate

import boto3

from atrium.identity.schemas import SignupRequest
from atrium.identity.signup import signup
from atrium.kernel.config import settings
from atrium.kernel.store.unit_of_work import RequestInfo
from atrium_local.mailbox import sent_mail
from atrium_local.worker import Worker


def _clients():
    return {name: boto3.client(name, region_name="us-east-1")
            for name in ("dynamodb", "sqs", "s3", "secretsmanager", "scheduler", "sesv2")}


def test_a_writes_everywhere(aws):
    aws_ = _clients()
    signup(SignupRequest(tenant_name="Acme", email="first@example.com", password="correct horse battery staple"),
           RequestInfo())
    aws_["sqs"].send_message(QueueUrl=aws.consumers[0].queue_url, MessageBody="{}")
    aws_["s3"].put_object(Bucket=settings().files_bucket, Key="tenants/ten_x/a.txt", Body=b"a")
    aws_["secretsmanager"].put_secret_value(SecretId=settings().cursor_secret_id, SecretString="changed")
    aws_["scheduler"].create_schedule(
        Name="left-behind", GroupName=settings().task_schedule_group, ScheduleExpression="at(2030-01-01T00:00:00)",
        FlexibleTimeWindow={"Mode": "OFF"},
        Target={"Arn": aws.consumers[0].queue_arn, "RoleArn": "arn:aws:iam::123456789012:role/r", "Input": "{}"})
    mail = EmailMessage()
    mail["From"], mail["To"], mail["Subject"], mail["Date"] = settings().mail_from, "a@example.com", "s", formatdate()
    mail.set_content("b")
    aws_["sesv2"].send_email(Content={"Raw": {"Data": mail.as_bytes()}})
    assert aws_["dynamodb"].scan(TableName=settings().table_name)["Count"] > 0
    assert sent_mail()


def test_b_sees_none_of_it(aws):
    aws_ = _clients()
    assert aws_["dynamodb"].scan(TableName=settings().table_name)["Count"] == 0
    assert Worker(aws).relay_stream() == 0  # no stream records either
    depth = aws_["sqs"].get_queue_attributes(QueueUrl=aws.consumers[0].queue_url, AttributeNames=["All"])
    assert depth["Attributes"]["ApproximateNumberOfMessages"] == "0"
    assert aws_["s3"].list_objects_v2(Bucket=settings().files_bucket)["KeyCount"] == 0
    versions = aws_["secretsmanager"].list_secret_version_ids(SecretId=settings().cursor_secret_id)["Versions"]
    assert len(versions) == 1
    assert aws_["scheduler"].list_schedules(GroupName=settings().task_schedule_group)["Schedules"] == []
    assert sent_mail() == []
'''


def test_two_tests_in_one_process_cannot_see_each_others_data(pytester: pytest.Pytester,
                                                             stripe_fake: StripeFakeServer) -> None:
    pytester.makeconftest("from tests.conftest import *  # noqa: F403 (the suite's fixtures)")
    pytester.makepyfile(test_isolation=ISOLATION_TESTS)
    result = pytester.runpytest_inprocess("-p", "no:cacheprovider", "-p", "no:xdist", "-p", "no:randomly")
    result.assert_outcomes(passed=2)
    # The inner session stopped its own Stripe fake: this process's Stripe calls go to its own again.
    assert settings().stripe_api_base == stripe_fake.url
