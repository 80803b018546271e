"""The local stack's clock control (``/_local/clock``): the stack's clock runs ahead of real time, and back."""

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient

from atrium.kernel import clock


def _now(answer: dict[str, object]) -> datetime:
    return datetime.fromisoformat(str(answer["now"]).replace("Z", "+00:00"))


def test_the_clock_runs_ahead_and_back_and_refuses_to_run_behind(client: TestClient) -> None:
    try:
        ahead = client.put("/_local/clock", json={"ahead_seconds": 3 * 24 * 3600})
        assert ahead.status_code == 200 and ahead.json()["ahead_seconds"] == 3 * 24 * 3600
        assert abs(clock.now() - datetime.now(UTC) - timedelta(days=3)) < timedelta(seconds=5)
        assert abs(_now(client.get("/_local/clock").json()) - clock.now()) < timedelta(seconds=5)
        assert client.put("/_local/clock", json={"ahead_seconds": -1}).status_code == 422
    finally:
        back = client.put("/_local/clock", json={"ahead_seconds": 0})
    assert back.json()["ahead_seconds"] == 0
    assert abs(clock.now() - datetime.now(UTC)) < timedelta(seconds=5)
