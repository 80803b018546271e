"""The ``atrium`` command: the local stack and its tools."""

import gc
import json
import logging
import os
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import httpx
import typer

from atrium_local import environment

if TYPE_CHECKING:
    from atrium_local.dlq import QueueDlq
    from atrium_local.stripe_fake.server import StripeFakeServer

app = typer.Typer(help="Atrium's local stack.", no_args_is_help=True)
WORKER_STOP_SECONDS = 15  # how long Ctrl-C waits for the worker's pass in progress
schedules = typer.Typer(help="Schedules: functions EventBridge Scheduler runs on a timer (not user-visible jobs).",
                        no_args_is_help=True)
app.add_typer(schedules, name="schedules")
operators = typer.Typer(help="Platform operators (staff who list and suspend tenants).", no_args_is_help=True)
app.add_typer(operators, name="operators")
audit = typer.Typer(help="Tenants' audit logs.", no_args_is_help=True)
app.add_typer(audit, name="audit")
dlq = typer.Typer(help="Dead-letter queues of consumers: depth, messages, redrive.", no_args_is_help=True)
app.add_typer(dlq, name="dlq")

OnAws = Annotated[bool, typer.Option("--aws", help="Use the AWS account of the environment's credentials (AWS_PROFILE, "
                                                   "AWS_REGION, ATRIUM_TABLE_NAME), not the local stack.")]
Stage = Annotated[str | None, typer.Option(help="Only the queues of this stage (the atrium:stage tag).")]


@app.command()
def dev(
    schedules: Annotated[bool, typer.Option(help="Also fire the schedules on their timers.")] = False,
    data: Annotated[Path, typer.Option(envvar="ATRIUM_DATA_DIR", help="Where the stack keeps its data.")] = Path(
        environment.DEFAULT_DATA_DIR),
    fresh: Annotated[bool, typer.Option(help="Delete the data kept so far and start empty.")] = False,
    demo: Annotated[bool, typer.Option(help="Once the API answers, fill it with the demo tenant (see atrium demo) "
                                            "and print its users' passwords.")] = False,
) -> None:
    """Start moto with the data kept so far, provision every declared resource, the worker and the API."""
    import uvicorn

    from atrium_local.action_lookup import cached_action_lookup
    from atrium_local.alarm import Alarm
    from atrium_local.atomic_writes import atomic_dynamodb_writes
    from atrium_local.attribute_values import fast_attribute_values
    from atrium_local.durable import DataFolder
    from atrium_local.moto_server import MotoServer, moto_app
    from atrium_local.wakeups import RingingApp

    api_port, moto_port = environment.api_port(), environment.moto_port()
    base = f"http://127.0.0.1:{api_port}"
    # Every variable is set before anything reads the settings (importing the models does: they are read once).
    environment.use_local_aws(moto_port)
    fake_stripe = environment.stripe_fake_wanted()
    if fake_stripe:
        environment.use_stripe_fake(f"http://127.0.0.1:{environment.stripe_port()}")
    os.environ.setdefault("ATRIUM_API_URL", base)  # where unsubscribe links lead
    webhooks = environment.allow_local_webhooks()
    stripe = _stripe_fake(base) if fake_stripe else None
    logging.getLogger("werkzeug").setLevel(logging.ERROR)  # moto's per-request access log
    folder = DataFolder(data)
    if fresh:
        folder.clear()
    alarm = Alarm()  # moto rings it when a request may give the worker work
    # The API and the worker write to moto from their own threads.
    with atomic_dynamodb_writes(), fast_attribute_values(), cached_action_lookup():
        app = moto_app()
        restored = folder.restore(app)
        journaled = folder.journaled(app)
        moto = MotoServer(RingingApp(journaled, alarm), moto_port)
        moto.start()
        thread: threading.Thread | None = None
        try:
            from atrium_local.devserver import local_app
            from atrium_local.provision import provision
            from atrium_local.worker import Worker

            worker = Worker(provision())
            folder.keep_provisioned(journaled)
            gc.freeze()  # what is loaded by now lives as long as the stack: the collector need not walk it again
            thread = threading.Thread(target=worker.run, args=(alarm,), kwargs={"schedules": schedules}, daemon=True)
            thread.start()
            if demo:
                threading.Thread(target=_demo_when_up, args=(base,), daemon=True).start()
            typer.echo(f"""
    Atrium local stack
      API         {base}   (Swagger UI {base}/docs, ReDoc {base}/redoc, spec {base}/openapi.json)
      console     {base}/_local   (mailbox, webhook receiver, events, queues and DLQs, schedules)
      AWS (moto)  http://127.0.0.1:{moto_port}
      Stripe      {_stripe_line(stripe)}
      worker      stream -> relay -> bus -> queues -> consumers{'; schedules on timers' if schedules else ''}
      mail        {base}/_local/mail  or  atrium mail
      webhooks    {webhooks}
      data        {data}  ({restored.replayed} journaled writes restored in {restored.seconds:.2f} s; --fresh)

    Sign up:
      curl -s -X POST {base}/v1/signup -H 'content-type: application/json' \\
        -d '{{"tenant_name": "Acme", "email": "you@example.com", "password": "a long passphrase"}}'
    Ctrl-C stops everything.
    """, err=True)
            # Open keep-alive connections must not hold Ctrl-C hostage.
            uvicorn.run(local_app(), host="127.0.0.1", port=api_port, log_level="warning", timeout_graceful_shutdown=3)
        finally:
            alarm.stop()
            if thread is not None:  # its pass finishes before moto goes: its calls would find no server
                thread.join(timeout=WORKER_STOP_SECONDS)
            moto.stop()
            if stripe is not None:
                stripe.stop()
            typer.echo("stopped", err=True)


def _stripe_fake(api: str) -> "StripeFakeServer":
    """The Stripe fake on its port, sending its events to this stack's /v1/hooks/stripe, signed with the webhook
    secret the stack provisions."""
    from atrium.kernel.config import settings
    from atrium.kernel.secrets import read_secret
    from atrium_local.stripe_fake.app import StripeFake
    from atrium_local.stripe_fake.events import WebhookEndpoint
    from atrium_local.stripe_fake.server import StripeFakeServer

    webhook = WebhookEndpoint(httpx.Client(timeout=30), f"{api}/v1/hooks/stripe",
                              secret=lambda: read_secret(settings().stripe_webhook_secret_id))
    return StripeFakeServer(StripeFake(webhook), environment.stripe_port()).start()


def _stripe_line(fake: "StripeFakeServer | None") -> str:
    if fake is not None:
        return (f"{fake.url}   (fake: Checkout pages complete on Pay, events go to /v1/hooks/stripe; "
                "ATRIUM_STRIPE_API_KEY=sk_test_... uses Stripe's test mode)")
    from atrium.kernel.config import settings

    return settings().stripe_api_base or "Stripe itself, in the mode of ATRIUM_STRIPE_API_KEY"


def _demo_when_up(base: str) -> None:
    """The demo, against the API once it answers; a failure is printed, the stack keeps running."""
    from atrium_local.demo import DemoError, fill

    deadline = time.monotonic() + 60
    while not _healthy(base) and time.monotonic() < deadline:
        time.sleep(0.2)
    try:
        typer.echo("\n" + fill(base), err=True)
    except (DemoError, httpx.HTTPError) as error:
        typer.echo(f"demo: {error}", err=True)


def _healthy(base: str) -> bool:
    try:
        return httpx.get(f"{base}/v1/health", timeout=1).status_code == 200
    except httpx.TransportError:
        return False


@app.command()
def demo(url: Annotated[str | None, typer.Option(help="The running stack's API (default: "
                                                     "http://127.0.0.1:$ATRIUM_PORT).")] = None) -> None:
    """Fill a running local stack with the demo tenant through its API: a user per built-in role, proofs in every
    state, a template in the gallery, a webhook endpoint, a verified audit chain. Makes only what is missing;
    prints the users' passwords."""
    from atrium_local.demo import DemoError, fill

    try:
        typer.echo(fill(url or f"http://127.0.0.1:{environment.api_port()}"))
    except (DemoError, httpx.HTTPError) as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


@schedules.command("run")
def run_schedule(name: str) -> None:
    """Run a schedule's function once against the running local stack."""
    environment.use_local_aws(environment.moto_port())
    from atrium_local.worker import run_schedule as run

    typer.echo(json.dumps(run(name), default=str, indent=2))


@schedules.command("list")
def list_schedules() -> None:
    """The declared schedules."""
    from atrium import manifest

    for spec in manifest.schedules():
        typer.echo(f"{spec.name}\t{spec.expression}\t{spec.description}")


@app.command()
def mail() -> None:
    """Print the emails the running local stack has sent, newest first."""
    response = httpx.get(f"http://127.0.0.1:{environment.api_port()}/_local/mail", timeout=5)
    response.raise_for_status()
    typer.echo(json.dumps(response.json(), indent=2))


@app.command()
def openapi(output: Annotated[Path, typer.Option(help="Where to write the spec.")] = Path("docs/openapi.json")) -> None:
    """Write the OpenAPI document generated from the routers."""
    from atrium_local.openapi import render

    output.write_text(render())
    typer.echo(f"wrote {output}")


@operators.command("create")
def create_operator(
    email: Annotated[str, typer.Option(help="The operator's sign-in email.")],
    role: Annotated[str, typer.Option(help="operator_admin (read, suspend) or operator_support (read).")],
    password_stdin: Annotated[bool, typer.Option("--password-stdin", help="Read the password from stdin.")] = False,
    aws: OnAws = False,
) -> None:
    """Create an operator; prints its id. The password is prompted for, or read from stdin."""
    if not aws:
        environment.use_local_aws(environment.moto_port())
    from atrium.identity.operator.accounts import create_operator as create
    from atrium.kernel.errors import AtriumError

    password = sys.stdin.readline().rstrip("\n") if password_stdin else typer.prompt(
        "Password", hide_input=True, confirmation_prompt=True)
    try:
        operator = create(email, role, password)
    except AtriumError as error:
        details = "".join(f"\n  {e.get('message')}" for e in error.errors)
        typer.echo(f"error: {error.detail}{details}", err=True)
        raise typer.Exit(1) from None
    typer.echo(operator.id)


@audit.command("verify")
def verify_audit(tenant: Annotated[str, typer.Option(help="The tenant id (ten_...).")], aws: OnAws = False) -> None:
    """Verify a tenant's audit chain; prints the report and exits 1 when it is not intact."""
    if not aws:
        environment.use_local_aws(environment.moto_port())
    from dataclasses import asdict

    from atrium.audit.verification import verify
    from atrium.kernel.tenancy import tenant_scope

    with tenant_scope(tenant):
        report = verify(tenant)
    typer.echo(json.dumps(asdict(report) | {"intact": report.intact}, indent=2))
    if not report.intact:
        raise typer.Exit(1)


def _queue_dlqs(aws: bool, stage: str | None) -> list["QueueDlq"]:
    if not aws:
        environment.use_local_aws(environment.moto_port())
    from atrium_local.dlq import client, queue_dlqs

    return queue_dlqs(client(), stage=stage)


def _find(dlqs: list["QueueDlq"], queue: str) -> "QueueDlq":
    from atrium_local.dlq import find

    try:
        return find(dlqs, queue)
    except LookupError as error:
        typer.echo(f"error: {error}", err=True)
        raise typer.Exit(1) from None


@dlq.command("list")
def list_dlqs(
    queue: Annotated[str | None, typer.Argument(
        help="A consumer (its name or its queue's): print the messages of its DLQ.")] = None,
    limit: Annotated[int, typer.Option(min=1, max=1000, help="At most this many messages.")] = 10,
    aws: OnAws = False,
    stage: Stage = None,
) -> None:
    """Each consumer's DLQ and its depth; or, given QUEUE, the messages parked in its DLQ (left in place)."""
    from atrium_local.dlq import client, peek

    dlqs = _queue_dlqs(aws, stage)
    if queue is None:
        for found in dlqs:
            typer.echo(f"{found.depth}\t{found.name}\t{found.dlq_name}")
        return
    for message in peek(client(), _find(dlqs, queue), limit=limit):
        typer.echo(json.dumps(message, default=str))


@dlq.command("redrive")
def redrive(
    queue: Annotated[str, typer.Argument(
        help="A consumer's name (identity.send_welcome_email, webhooks.deliver) or its queue's name.")],
    aws: OnAws = False,
    stage: Stage = None,
) -> None:
    """Move the messages of a DLQ back to the queue they came from, to be consumed again."""
    from atrium_local.dlq import client, move_back, start_move_task

    found = _find(_queue_dlqs(aws, stage), queue)
    if aws:
        handle = start_move_task(client(), found)
        typer.echo(f"moving {found.depth} messages {found.dlq_name} -> {found.queue_name} (task {handle})")
    else:
        typer.echo(f"moved {move_back(client(), found)} messages {found.dlq_name} -> {found.queue_name}")
