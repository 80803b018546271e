"""The fake served over HTTP from a thread of this process: on the local stack's port, or on any free port for a
test (``port=0``)."""

import threading

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from atrium_local.stripe_fake.app import StripeFake


class _QuietHandler(WSGIRequestHandler):
    # One request per connection: no connection (and no server thread) waits idle for a next request, however
    # many client threads call the fake over a test run.
    protocol_version = "HTTP/1.0"

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        """No access log: the fake answers every API call Atrium makes."""


class StripeFakeServer:
    def __init__(self, fake: StripeFake, port: int = 0) -> None:
        self.fake = fake
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, fake, threaded=True,
                                                   request_handler=_QuietHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def start(self) -> "StripeFakeServer":
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
