"""One nested stack per context holding its consumers' functions, as the route functions have theirs
(``routes.py``), so the main stack stays far from CloudFormation's 500-resource limit as consumers are added. The
queues stay in the main stack: a queue moved between stacks is a new queue, and the messages in the old one would
be lost; a function is code, made anew at no cost."""

from collections.abc import Sequence
from itertools import groupby

from aws_cdk import NestedStack
from constructs import Construct

from infra.constructs.consumers import Consumer
from infra.constructs.function import AtriumFunction, FunctionKit
from infra.naming import pascal


class ConsumerFunctionsStack(NestedStack):
    def __init__(self, scope: Construct, construct_id: str, *, context: str, consumers: Sequence[Consumer],
                 kit: FunctionKit) -> None:
        super().__init__(scope, construct_id, description=f"Atrium {context} consumers")
        self.functions = [consumer.add_function(kit, self) for consumer in consumers]


def consumer_functions(scope: Construct, consumers: Sequence[Consumer], kit: FunctionKit) -> list[AtriumFunction]:
    """Every consumer's function, in its context's nested stack under ``scope``."""
    by_context = groupby(sorted(consumers, key=lambda consumer: consumer.context), key=lambda c: c.context)
    return [function for context, members in by_context
            for function in ConsumerFunctionsStack(scope, pascal(context), context=context, consumers=list(members),
                                                   kit=kit).functions]
