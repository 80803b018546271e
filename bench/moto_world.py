"""One moto server for the whole run, provisioned from the declarations, with one signed-up tenant.

Every child process talks to it over HTTP, as a Lambda talks to AWS, so each child creates its clients
and pays its own first-call costs.
"""

import logging
import os
import socket
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from aws_lambda_powertools.utilities.typing import LambdaContext
from fastapi.testclient import TestClient
from moto.server import ThreadedMotoServer

from atrium.kernel.config import settings
from atrium_local.atomic_writes import atomic_dynamodb_writes
from atrium_local.environment import use_local_aws, use_stripe_fake
from atrium_local.stripe_fake.app import StripeFake
from atrium_local.stripe_fake.server import StripeFakeServer
from bench.spawn import REPO
from infra import sizing

PASSWORD = "correct horse battery staple"
# The variables Lambda sets that change what libraries do at init: the X-Ray recorder (Powertools' Tracer
# builds it even with tracing disabled) creates two botocore clients for its sampler unless it sees
# LAMBDA_TASK_ROOT.
LAMBDA_ENVIRONMENT = {
    "LAMBDA_TASK_ROOT": str(REPO / "functions"),
    "AWS_LAMBDA_FUNCTION_NAME": "atrium-bench",
    "AWS_LAMBDA_FUNCTION_MEMORY_SIZE": str(sizing.MEMORY_MB),
    "AWS_EXECUTION_ENV": "AWS_Lambda_python3.12",
    # As deployed: calls in a tenant scope are signed by a session of the tenant data role (assumed from moto).
    "ATRIUM_TENANT_DATA_ROLE_ARN": "arn:aws:iam::123456789012:role/atrium-bench-TenantData-us-east-1",
}


@dataclass(frozen=True)
class MotoWorld:
    endpoint: str
    access_token: str
    principal: str  # what the Lambda authorizer hands API Gateway for the token: the Principal as JSON
    code: Path  # where children import ``atrium`` and the function entries (``api``) from

    def child_env(self, *extra_path: str) -> dict[str, str]:
        """The environment of a child: this world's AWS settings, the code and ``bench`` importable.

        PYTHONDONTWRITEBYTECODE keeps every child alike: nothing compiled by one run speeds up the next.
        """
        path = [*extra_path, str(self.code), str(REPO)]
        return {**os.environ, "PYTHONPATH": os.pathsep.join(path), "PYTHONDONTWRITEBYTECODE": "1",
                "AWS_ENDPOINT_URL": self.endpoint, **LAMBDA_ENVIRONMENT,
                # No X-Ray daemon or CloudWatch here; set outright so a developer's shell cannot turn them on.
                "POWERTOOLS_TRACE_DISABLED": "true", "POWERTOOLS_METRICS_DISABLED": "true"}


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def moto_world(code: Path) -> Iterator[MotoWorld]:
    # Forget the developer's AWS settings so nothing can reach a real account; use_local_aws sets fakes.
    for name in [name for name in os.environ if name.startswith("AWS_")]:
        del os.environ[name]
    port = _free_port()
    use_local_aws(port)
    # One client does everything here, thousands of requests a minute from one address and tenant: the limits
    # would refuse most of them. The limiters still count every request (their calls and cost are measured).
    for quota in ("RATE_LIMIT_TENANT_PER_MINUTE", "RATE_LIMIT_PRINCIPAL_PER_MINUTE", "RATE_LIMIT_SOURCE_PER_MINUTE",
                  "INVITATIONS_PER_HOUR", "INVITATIONS_PER_DAY", "INVITATIONS_PER_ADDRESS_PER_DAY",
                  "PLUGIN_OPERATIONS_PER_15_MINUTES"):
        os.environ[f"ATRIUM_{quota}"] = str(10**9)
    settings.cache_clear()  # this process may have read its settings before: the lifted limits apply here too
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    stripe = StripeFakeServer(StripeFake()).start()  # billing's routes call Stripe: the fake stands in, as locally
    use_stripe_fake(stripe.url)
    with atomic_dynamodb_writes():  # requests and the worker's consumers write from their own threads
        try:
            # Imported only now: settings and clients read the environment use_local_aws just set.
            from atrium.identity import authorizer
            from atrium_local.devserver import local_app
            from atrium_local.lambda_context import LocalContext
            from atrium_local.provision import provision

            provision()
            with TestClient(local_app()) as client:
                response = client.post("/v1/signup", json={"tenant_name": "Bench", "email": "owner@bench.example",
                                                           "password": PASSWORD})
            response.raise_for_status()
            token: str = response.json()["access_token"]
            _lift_plan_limits(response.json()["tenant"]["id"])
            event = {"headers": {"authorization": f"Bearer {token}"}}
            authorized = authorizer.handler(event, cast(LambdaContext, LocalContext("authorizer")))
            yield MotoWorld(os.environ["AWS_ENDPOINT_URL"], token, authorized["context"]["principal"], code)
        finally:
            server.stop()
            stripe.stop()


def _lift_plan_limits(tenant_id: str) -> None:
    """The bench's tenant on a custom plan without limits: a tenant's plan sets its rate limit (the settings above
    are only the stage's ceiling), and the free plan's 60 requests a minute would refuse the bench's."""
    from atrium.billing.api import CustomPlan, Limit, PlanId, set_custom_plan
    from atrium.kernel.store.unit_of_work import RequestInfo
    from atrium.kernel.tenancy import Principal

    operator = Principal(type="operator", id="opr_bench", tenant_id="")
    set_custom_plan(operator, tenant_id, CustomPlan(name="Bench", based_on=PlanId.ENTERPRISE,
                                                    limits=dict.fromkeys(Limit)), RequestInfo())
