"""DynamoDB calls per authorizer request, for each kind of credential, with its cache cold and warm: measured by
tests/support/authorizer_calls.py in a child process against the run's moto server."""

import json
import os

from bench.moto_world import MotoWorld
from bench.report import Table
from bench.spawn import run_child
from tests.support.authorizer_calls import measure
from tests.support.aws_hook import describe


def table(rows: list[dict[str, object]]) -> Table:
    return Table(
        "DynamoDB calls per authorizer request",
        ("credential", "authorizer cache", "DynamoDB calls"),
        [(str(row["credential"]), str(row["cache"]), describe(row["dynamodb"]))  # type: ignore[arg-type]
         for row in rows],
        notes=("The authorizer's own cache (access_cache_seconds) is per process; API Gateway's cache in front "
               "of it is not counted here.",),
    )


def run(world: MotoWorld) -> Table:
    return table(run_child("bench.authorizer_calls", {}, world.child_env()).result["rows"])


def main() -> None:
    with open(os.environ["BENCH_RESULT"], "w") as out:
        json.dump({"rows": measure()}, out)


if __name__ == "__main__":
    main()
