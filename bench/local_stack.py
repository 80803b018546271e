"""The local stack as ``make dev`` runs it (``atrium dev``, one process: API, moto server, worker), started as a
subprocess on free ports: how long it takes to answer ``GET /v1/health`` on a first start and on a restart, the
share of a core it uses idle and under a steady load of requests (its CPU time from ``/proc/<pid>/stat``), and how
soon an event written by a request reaches its consumer, soon after other work and after the worker has idled.

The event is a sign-up's ``tenant.created``, its consumer the welcome email: from the sign-up's answer to the mail
being listed by ``GET /_local/mail`` (polled every ``POLL`` seconds) it goes table stream -> relay -> bus -> queue
-> consumer -> SES.
"""

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass
from itertools import count
from pathlib import Path
from typing import TypeVar

import httpx

from bench.report import Table
from bench.scale import Scale
from bench.spawn import REPO
from bench.stats import median, ms

ATRIUM = Path(sys.executable).parent / "atrium"
PASSWORD = "correct horse battery staple"
POLL = 0.05
LOAD_PER_SECOND = 5  # requests: reads of the tenant, every fifth a write of it
_emails = count(1)
Result = TypeVar("Result")


@dataclass(frozen=True)
class LocalStackFigures:
    first_start_s: float
    restart_s: float
    window_s: float
    idle_cpu: float  # of one core
    load_cpu: float
    load_per_s: float  # requests answered per second during the load window
    settle_s: float  # how long the stack had nothing to do before the idle window and each idle event
    busy_s: list[float]  # write -> consumed, each right after the previous one
    after_idle_s: list[float]  # write -> consumed, each after ``settle_s`` with nothing to do

    def table(self) -> Table:
        def latency(values: list[float]) -> str:
            return f"{ms(median(values))} / {ms(max(values))} ms"

        return Table(
            title="Local stack (make dev): start-up, CPU share, wake-up latency",
            columns=("measure", "measured", "target"),
            rows=[("start-up to healthy, first start", f"{self.first_start_s:.1f} s", "at most 60 s"),
                  ("start-up to healthy, restart", f"{self.restart_s:.1f} s", "at most 5 s"),
                  (f"CPU idle, over {self.window_s:.0f} s", f"{self.idle_cpu:.2%} of a core", "at most 2%"),
                  (f"CPU under {self.load_per_s:.1f} requests/s, over {self.window_s:.0f} s",
                   f"{self.load_cpu:.2%} of a core", "-"),
                  (f"write -> consumer, after other work (median / max of {len(self.busy_s)})",
                   latency(self.busy_s), "under 1 s"),
                  (f"write -> consumer, after {self.settle_s:.0f} s idle (median / max of {len(self.after_idle_s)})",
                   latency(self.after_idle_s), "under 1 s")],
            notes=[
                "The first start has a fresh data folder (--fresh) and no bytecode at all (an empty "
                "PYTHONPYCACHEPREFIX: every module compiles, more than on a fresh clone, whose uv sync compiles the "
                "installed packages); it does not count installing them. The restart keeps the data and the "
                "bytecode. Both are from the command to the first 200 of GET /v1/health.",
                f"The idle window starts {self.settle_s:.0f} s after the last request, when the worker waits the "
                "longest between looks for work; it looks at once when moto's server handled a write. Under "
                f"load: {LOAD_PER_SECOND} requests a second, GET /v1/tenant and every fifth a PATCH of it.",
                f"Latency is measured to the email being listed, polled every {POLL * 1000:.0f} ms; the welcome "
                "email's consumer renders and sends it within that time."])


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _cpu_seconds(pid: int) -> float:
    """User and system CPU time of the process, all its threads."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


class Stack:
    def __init__(self, data: Path, pycache: Path | None, log: Path, *, fresh: bool) -> None:
        self.base = f"http://127.0.0.1:{_free_port()}"
        env = {k: v for k, v in os.environ.items() if not k.startswith("AWS_") and k != "PYTHONDONTWRITEBYTECODE"}
        env |= {"ATRIUM_PORT": self.base.rsplit(":", 1)[1], "ATRIUM_MOTO_PORT": str(_free_port()),
                "ATRIUM_STRIPE_PORT": str(_free_port())}
        if pycache is not None:
            env["PYTHONPYCACHEPREFIX"] = str(pycache)
        self.started = time.perf_counter()
        with log.open("a") as output:
            self.process = subprocess.Popen([str(ATRIUM), "dev", "--data", str(data), *(["--fresh"] if fresh else [])],
                                            cwd=REPO, env=env, stdout=output, stderr=subprocess.STDOUT)
        self.log = log

    def wait_healthy(self, timeout: float = 180) -> float:
        """Seconds from the command to the first healthy answer."""
        deadline = self.started + timeout
        while time.perf_counter() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the local stack exited:\n{self.log.read_text()[-3000:]}")
            try:
                if httpx.get(f"{self.base}/v1/health", timeout=1).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.TransportError:
                pass
            time.sleep(0.05)
        raise TimeoutError("the local stack did not start")

    def cpu_share(self, during: Callable[[], Result]) -> tuple[float, Result]:
        """The stack's CPU time per second of wall time while ``during`` runs, and what it returned."""
        cpu, wall = _cpu_seconds(self.process.pid), time.perf_counter()
        result = during()
        return (_cpu_seconds(self.process.pid) - cpu) / (time.perf_counter() - wall), result

    def __enter__(self) -> "Stack":
        return self

    def __exit__(self, *_exc: object) -> None:
        self.process.send_signal(signal.SIGINT)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


class Client:
    def __init__(self, base: str) -> None:
        self.http, self.token = httpx.Client(base_url=base, timeout=30), ""

    def _mails(self) -> int:
        return len(self.http.get("/_local/mail").json())

    def signup_until_consumed(self) -> float:
        """Sign up a tenant; seconds from the answer until its welcome email is sent."""
        before, number = self._mails(), next(_emails)
        answer = self.http.post("/v1/signup", json={"tenant_name": f"Bench {number}", "password": PASSWORD,
                                                    "email": f"bench{number}@example.com"})
        written = time.perf_counter()
        answer.raise_for_status()
        self.token = answer.json()["access_token"]
        while self._mails() == before:
            if time.perf_counter() - written > 60:
                raise TimeoutError("the welcome email was not sent")
            time.sleep(POLL)
        return time.perf_counter() - written

    def load(self, seconds: float) -> int:
        """``LOAD_PER_SECOND`` requests a second for ``seconds``; returns how many were answered."""
        auth = {"Authorization": f"Bearer {self.token}"}
        started, sent = time.perf_counter(), 0
        while time.perf_counter() - started < seconds:
            tenant = self.http.get("/v1/tenant", headers=auth)
            tenant.raise_for_status()
            if sent % 5 == 4:
                self.http.patch("/v1/tenant", json={"name": f"Bench {sent}"},
                                headers=auth | {"If-Match": tenant.headers["etag"]}).raise_for_status()
            sent += 1
            time.sleep(max(0.0, started + sent / LOAD_PER_SECOND - time.perf_counter()))
        return sent


def run(scale: Scale) -> LocalStackFigures:
    window, settle = scale.stack_window, scale.stack_settle
    with tempfile.TemporaryDirectory(prefix="atrium-bench-stack-") as folder:
        data, log = Path(folder) / "data", Path(folder) / "stack.log"
        # The smoke run's first start uses the bytecode there is: compiling every module costs the suite half a
        # minute of a core, and the smoke run's figures mean nothing.
        pycache = None if scale.smoke else Path(folder) / "pycache"
        with Stack(data, pycache, log, fresh=True) as first:
            first_start = first.wait_healthy()
        with Stack(data, pycache, log, fresh=False) as stack:
            restart = stack.wait_healthy()
            client = Client(stack.base)
            busy = [client.signup_until_consumed() for _ in range(scale.stack_events)]
            load_cpu, answered = stack.cpu_share(lambda: client.load(window))
            time.sleep(settle)
            idle_cpu, _ = stack.cpu_share(lambda: time.sleep(window))
            after_idle = []
            for _ in range(scale.stack_idle_events):
                time.sleep(settle)
                after_idle.append(client.signup_until_consumed())
    return LocalStackFigures(first_start, restart, window, idle_cpu, load_cpu, answered / window, settle, busy,
                             after_idle)
