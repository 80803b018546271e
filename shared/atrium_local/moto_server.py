"""moto's HTTP server, as ``moto.server.ThreadedMotoServer`` runs it, serving a WSGI app of our choosing (moto's
own, journaled)."""

import threading

from moto.moto_server.werkzeug_app import DomainDispatcherApplication, MotoRequestHandler, create_backend_app
from werkzeug.serving import BaseWSGIServer, make_server

from atrium_local.journaled_requests import WsgiApp


def moto_app() -> WsgiApp:
    return DomainDispatcherApplication(create_backend_app)


class MotoServer:
    def __init__(self, app: WsgiApp, port: int) -> None:
        self._server: BaseWSGIServer = make_server("127.0.0.1", port, app, threaded=True,
                                                   request_handler=MotoRequestHandler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join()
