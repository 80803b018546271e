"""Alarms for every function and queue, and the one dashboard.

Alarms are created beside what they watch (also inside the route nested stacks), so no
metric crosses a stack boundary. The dashboard finds functions with a metric SEARCH on the
stack name instead of referencing each one, for the same reason.
"""

from collections.abc import Sequence

from aws_cdk import Aws, Duration, Fn
from aws_cdk import aws_apigatewayv2 as apigwv2
from aws_cdk import aws_cloudwatch as cloudwatch
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_sqs as sqs
from constructs import Construct

from atrium.kernel.events.schedules import MetricAlarm
from atrium.kernel.observability import NAMESPACE, function_dimensions

PERIOD = Duration.minutes(5)


class FunctionAlarms(Construct):
    """Errors > 0 and throttles > 0 over five minutes."""

    def __init__(self, scope: Construct, construct_id: str, *, function: lambda_.IFunction) -> None:
        super().__init__(scope, construct_id)
        self.errors = function.metric_errors(period=PERIOD, statistic="Sum").create_alarm(
            self, "Errors", threshold=0, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description="The function raised errors (see its log group).",
        )
        self.throttles = function.metric_throttles(period=PERIOD, statistic="Sum").create_alarm(
            self, "Throttles", threshold=0, evaluation_periods=1,
            comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
            treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
            alarm_description="Invocations were throttled (concurrency limit reached).",
        )


def dlq_alarm(scope: Construct, construct_id: str, dlq: sqs.IQueue, what: str) -> cloudwatch.Alarm:
    """Any message in a DLQ is work that failed for good and needs a human."""
    return dlq.metric_approximate_number_of_messages_visible(period=Duration.minutes(1), statistic="Maximum") \
        .create_alarm(scope, construct_id, threshold=0, evaluation_periods=1,
                      comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                      treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                      alarm_description=f"Messages in the DLQ of {what}: inspect, fix, then redrive.")


def metric_alarm(scope: Construct, construct_id: str, alarm: MetricAlarm, *, kind: str,
                 name: str) -> cloudwatch.Alarm:
    """An alarm on a metric the function ``name`` puts (EMF, dimensioned by the function): any value above 0."""
    metric = cloudwatch.Metric(namespace=NAMESPACE, metric_name=alarm.metric, period=PERIOD, statistic="Maximum",
                               dimensions_map=function_dimensions(kind, name))
    return metric.create_alarm(scope, construct_id, threshold=0, evaluation_periods=1,
                               comparison_operator=cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
                               treat_missing_data=cloudwatch.TreatMissingData.NOT_BREACHING,
                               alarm_description=alarm.description)


def _lambda_search(metric: str, statistic: str) -> cloudwatch.MathExpression:
    # Every function name starts with the stack name (nested stacks' names do too).
    query = Fn.join("", ["SEARCH('{AWS/Lambda,FunctionName} MetricName=\"", metric, "\" \"", Aws.STACK_NAME,
                         "\"', '", statistic, "', 300)"])
    return cloudwatch.MathExpression(expression=query, using_metrics={}, label="", period=PERIOD)


class Dashboard(Construct):
    def __init__(self, scope: Construct, construct_id: str, *, stage: str, api: apigwv2.HttpApi,
                 table: dynamodb.ITable, dlqs: Sequence[tuple[str, sqs.IQueue]]) -> None:
        super().__init__(scope, construct_id)
        dashboard = cloudwatch.Dashboard(self, "Dashboard", dashboard_name=f"atrium-{stage}")
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="API requests and errors", width=12, left=[api.metric_count(period=PERIOD)],
                                   right=[api.metric_client_error(period=PERIOD),
                                          api.metric_server_error(period=PERIOD)]),
            cloudwatch.GraphWidget(title="API latency p99", width=12,
                                   left=[api.metric_latency(period=PERIOD, statistic="p99"),
                                         api.metric_integration_latency(period=PERIOD, statistic="p99")]),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="Function errors", width=8, left=[_lambda_search("Errors", "Sum")]),
            cloudwatch.GraphWidget(title="Function throttles", width=8, left=[_lambda_search("Throttles", "Sum")]),
            cloudwatch.GraphWidget(title="Function duration p99", width=8,
                                   left=[_lambda_search("Duration", "p99")]),
        )
        dashboard.add_widgets(
            cloudwatch.GraphWidget(title="DLQ depth", width=12, left=[
                dlq.metric_approximate_number_of_messages_visible(period=PERIOD, statistic="Maximum", label=name)
                for name, dlq in dlqs]),
            cloudwatch.GraphWidget(title="Table capacity", width=12, left=[
                table.metric_consumed_read_capacity_units(period=PERIOD),
                table.metric_consumed_write_capacity_units(period=PERIOD)]),
        )
