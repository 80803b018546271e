from starlette.requests import Request

from atrium.kernel.http.dependencies import request_info


def _request() -> Request:
    return Request({"type": "http", "method": "GET", "path": "/", "headers": [(b"user-agent", b"test")],
                    "client": ("203.0.113.9", 1234), "state": {}})


def test_one_request_has_one_request_id() -> None:
    request = _request()
    first, again = request_info(request), request_info(request)
    assert first.request_id is not None
    assert first.request_id.startswith("req_")
    assert again.request_id == first.request_id  # logs and the audit entry carry the same id
    assert request_info(_request()).request_id != first.request_id
