"""Swagger UI at ``/docs`` and ReDoc at ``/redoc``, from files installed with the local stack (the fastapi-offline
package), so they work with no internet; FastAPI's own pages load them from a CDN."""

from importlib.resources import files

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

ASSETS_URL = "/_local/docs-assets"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
# The pages may load from the stack only: ReDoc's bundle links Redocly's logo from a CDN, which the browser then
# refuses to fetch (and the page hides). Their set-up scripts are inline.
CONTENT_SECURITY_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' data:; worker-src 'self' blob:; frame-ancestors 'none'")
_HIDE_REMOTE_LOGO = b'<style>a[href*="redocly"] { display: none; }</style></head>'


def _local_only(page: HTMLResponse, extra_head: bytes = b"") -> HTMLResponse:
    body = bytes(page.body).replace(b"</head>", extra_head, 1) if extra_head else bytes(page.body)
    return HTMLResponse(body, headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY})


def add_docs(app: FastAPI) -> None:
    """The pages read the app's spec (``create_app(openapi=True)``)."""
    assert app.openapi_url is not None
    openapi_url = app.openapi_url
    app.mount(ASSETS_URL, StaticFiles(directory=str(files("fastapi_offline") / "static")), name="docs-assets")

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return _local_only(get_swagger_ui_html(
            openapi_url=openapi_url, title=f"{app.title} - Swagger UI", oauth2_redirect_url=OAUTH2_REDIRECT_URL,
            swagger_js_url=f"{ASSETS_URL}/swagger-ui-bundle.js", swagger_css_url=f"{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{ASSETS_URL}/favicon.png",
            # Swagger UI would otherwise send the spec to its online validator.
            swagger_ui_parameters={"validatorUrl": None}))

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return _local_only(get_redoc_html(openapi_url=openapi_url, title=f"{app.title} - ReDoc",
                                          redoc_js_url=f"{ASSETS_URL}/redoc.standalone.js",
                                          redoc_favicon_url=f"{ASSETS_URL}/favicon.png", with_google_fonts=False),
                           _HIDE_REMOTE_LOGO)
