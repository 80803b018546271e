"""The fake's HTTP face (a WSGI app): Stripe's API endpoints Atrium calls, the hosted pages their URLs lead to, and
``/_fake/`` controls that make Stripe's side happen (a customer paying) and send the events.

API requests are authenticated as Stripe's (``Authorization: Bearer sk_...``), form-encoded, and answered in
JSON; a POST honours ``Idempotency-Key`` as Stripe does. docs/billing.md lists what is covered.
"""

import html
import json
import socket
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound
from werkzeug.routing import Map, Rule
from werkzeug.wrappers import Request, Response

from atrium.kernel import clock
from atrium_local.stripe_fake.account import Account, Object, StripeError, missing, shown
from atrium_local.stripe_fake.events import Delivery, WebhookEndpoint, delivery_json, ordered
from atrium_local.stripe_fake.faults import Faults
from atrium_local.stripe_fake.forms import MalformedParameter, decode
from atrium_local.stripe_fake.meters import Meters

# Stripe's API: (method, path) -> the endpoint name the fake implements.
API = {
    ("POST", "/v1/customers"): "create_customer",
    ("GET", "/v1/customers/<object_id>"): "retrieve_customer",
    ("POST", "/v1/checkout/sessions"): "create_checkout_session",
    ("GET", "/v1/checkout/sessions/<object_id>"): "retrieve_checkout_session",
    ("POST", "/v1/billing_portal/sessions"): "create_portal_session",
    ("GET", "/v1/subscriptions/<object_id>"): "retrieve_subscription",
    ("POST", "/v1/subscriptions/<object_id>"): "update_subscription_api",
    ("POST", "/v1/subscription_items/<object_id>"): "update_subscription_item",
    ("GET", "/v1/invoices"): "list_invoices",
    ("GET", "/v1/invoices/<object_id>"): "retrieve_invoice",
    ("GET", "/v1/billing/meters"): "list_meters",
    ("POST", "/v1/billing/meter_events"): "create_meter_event",
    ("GET", "/v1/billing/meters/<object_id>/event_summaries"): "list_meter_event_summaries",
    ("GET", "/v1/accounts/<object_id>"): "retrieve_account",
}
# The endpoints the fake serves on a connected account too (the ``Stripe-Account`` header): its Checkout Sessions.
ON_CONNECTED_ACCOUNTS = frozenset({"create_checkout_session", "retrieve_checkout_session"})
PAGES = {
    ("GET", "/checkout/<object_id>"): "checkout_page",
    ("POST", "/checkout/<object_id>/pay"): "pay",
    ("GET", "/portal/<object_id>"): "portal_page",
    ("GET", "/invoices/<object_id>"): "invoice_page",
    ("GET", "/invoices/<object_id>/pdf"): "invoice_pdf",
    ("POST", "/_fake/accounts"): "connect_account",
    ("POST", "/_fake/checkout/sessions/<object_id>/complete"): "complete",
    ("POST", "/_fake/subscriptions/<object_id>/fail_payment"): "fail_payment",
    ("POST", "/_fake/subscriptions/<object_id>/pay"): "pay_invoice",
    ("POST", "/_fake/subscriptions/<object_id>/update"): "update",
    ("POST", "/_fake/subscriptions/<object_id>/cancel"): "cancel",
    ("GET", "/_fake/events"): "list_events",
    ("POST", "/_fake/events/<object_id>/send"): "send_event",
    ("POST", "/_fake/billing/meter_events"): "record_meter_event",
}
_URLS = Map([Rule(path, methods=[method], endpoint=name) for (method, path), name in (API | PAGES).items()])


def _json(body: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    return Response(json.dumps(shown(body)), status=status, headers=headers, content_type="application/json")


def _page(title: str, body: str) -> Response:
    return Response(f"<!doctype html><html><head><meta charset='utf-8'><title>{html.escape(title)}</title></head>"
                    f"<body><p><em>Stripe fake (Atrium's local stack)</em></p><h1>{html.escape(title)}</h1>{body}"
                    "</body></html>", content_type="text/html; charset=utf-8")


def _delivery(request: Request) -> dict[str, Any]:
    """A control's JSON options ``order`` (``sent``, ``reversed``) and ``duplicate`` (true: each event twice)."""
    options = request.get_json(silent=True) or {}
    order, duplicate = options.get("order", "sent"), bool(options.get("duplicate", False))
    if order not in ("sent", "reversed"):
        raise StripeError(400, "order is sent or reversed", param="order")
    return {"order": order, "duplicate": duplicate}


def _amount(cents: int, currency: str) -> str:
    return f"{cents / 100:.2f} {currency.upper()}"


def _dropped(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    """The connection closes with no answer: the server's write then fails, which it takes as the client gone."""
    environ["werkzeug.socket"].shutdown(socket.SHUT_RDWR)
    start_response("500 INTERNAL SERVER ERROR", [])
    return []


class StripeFake:
    """The WSGI app over one ``Account``. ``webhook`` is where completing a checkout sends its events (none: kept
    in ``account.events`` only). ``failing`` drops chosen requests (``faults``)."""

    def __init__(self, webhook: WebhookEndpoint | None = None) -> None:
        self.account = Account()
        self.meters = Meters(self.account)
        self.webhook = webhook
        self.faults = Faults()
        self.failing = self.faults.failing

    def __call__(self, environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
        request = Request(environ)
        self.account.base_url = request.host_url.rstrip("/")
        fault = self.faults.take(request.method, request.path)
        if fault is not None and not fault.answer_lost:
            return _dropped(environ, start_response)
        response = self._dispatch(request)
        if fault is not None:
            return _dropped(environ, start_response)
        return response(environ, start_response)

    def _dispatch(self, request: Request) -> Response:
        adapter = _URLS.bind_to_environ(request.environ)
        api = request.path.startswith("/v1/")
        try:
            name, arguments = adapter.match()
            if api:
                return self._api(request, str(name), arguments)
            handler: Callable[..., Response] = getattr(self, f"_{name}")
            return handler(request, **arguments)
        except StripeError as error:
            return _json(error.body, error.status)
        except (NotFound, MethodNotAllowed):
            if api:
                return _json(StripeError(404, f"Unrecognized request URL ({request.method}: {request.path}).").body,
                             404)
            return Response("Not found", status=404)
        except HTTPException as error:
            return Response(error.description, status=error.code or 400)

    # The API

    def _api(self, request: Request, name: str, arguments: Mapping[str, Any]) -> Response:
        key = (request.authorization.token if request.authorization and request.authorization.type == "bearer"
               else None)
        if not key or not key.startswith(("sk_", "rk_")):
            raise StripeError(401, "Invalid API Key provided.", type="invalid_request_error")
        try:
            params = decode(request.form.items(multi=True) if request.method == "POST"
                            else request.args.items(multi=True))
        except MalformedParameter as error:
            raise StripeError(400, f"Invalid parameter name: {error}.", param=str(error)) from None
        on_account = request.headers.get("Stripe-Account")
        if on_account is not None:
            self.account.connected_account(on_account)
            if name not in ON_CONNECTED_ACCOUNTS:
                raise StripeError(400, "The fake serves only Checkout Sessions on a connected account "
                                       "(Stripe-Account).")
            arguments = {**arguments, "account": on_account}
        call: Callable[[], Object] = lambda: getattr(self, f"_{name}")(params, **arguments)  # noqa: E731
        if request.method != "POST":
            return _json(call())
        replay_key = request.headers.get("Idempotency-Key")  # Stripe keeps each account's keys apart
        status, body, replayed = self.account.idempotent(
            replay_key and f"{key}\0{on_account or ''}\0{replay_key}", {"path": request.path, "params": params},
            lambda: (200, call()))
        headers = {"Idempotency-Key": replay_key} if replay_key else {}
        if replayed:
            headers["Idempotent-Replayed"] = "true"
        return _json(body, status, headers)

    def _create_customer(self, params: Object) -> Object:
        return self.account.create_customer(params)

    def _retrieve_customer(self, _params: Object, object_id: str) -> Object:
        return self.account.customer(object_id)

    def _create_checkout_session(self, params: Object, account: str | None = None) -> Object:
        return self.account.create_checkout_session(params, account)

    def _retrieve_checkout_session(self, _params: Object, object_id: str, account: str | None = None) -> Object:
        session = self.account.checkout_session(object_id)
        if session["_account"] != account:  # another account's session does not exist for this one
            raise missing("checkout.session", object_id)
        return session

    def _retrieve_account(self, _params: Object, object_id: str) -> Object:
        return self.account.connected_account(object_id)

    def _create_portal_session(self, params: Object) -> Object:
        return self.account.create_portal_session(params)

    def _retrieve_subscription(self, _params: Object, object_id: str) -> Object:
        return self.account.subscription(object_id)

    def _update_subscription_api(self, params: Object, object_id: str) -> Object:
        return self.account.set_cancel_at(object_id, params)

    def _update_subscription_item(self, params: Object, object_id: str) -> Object:
        return self.account.update_subscription_item(object_id, params)

    def _list_invoices(self, params: Object) -> Object:
        return self.account.list_invoices(params)

    def _retrieve_invoice(self, _params: Object, object_id: str) -> Object:
        return self.account.invoice(object_id)

    def _list_meters(self, params: Object) -> Object:
        return self.meters.list_meters(params)

    def _create_meter_event(self, params: Object) -> Object:
        return self.meters.create_event(params)

    def _list_meter_event_summaries(self, params: Object, object_id: str) -> Object:
        return self.meters.event_summaries(object_id, params)

    # Stripe's side: what a customer does on the hosted pages, and the events that follow.

    def complete_checkout(self, session_id: str, *, order: str = "sent", duplicate: bool = False) -> list[Delivery]:
        """The customer pays: the session completes and its events are sent to ``webhook`` (if any)."""
        return self._send(self.account.complete_checkout(session_id), order=order, duplicate=duplicate)

    def fail_payment(self, subscription_id: str, *, order: str = "sent", duplicate: bool = False) -> list[Delivery]:
        """The next period's invoice is not paid: ``invoice.payment_failed``, the subscription past_due."""
        return self._send(self.account.fail_payment(subscription_id), order=order, duplicate=duplicate)

    def pay_invoice(self, subscription_id: str, *, order: str = "sent", duplicate: bool = False) -> list[Delivery]:
        """The open invoice is paid: ``invoice.paid``, the subscription active again."""
        return self._send(self.account.pay_latest_invoice(subscription_id), order=order, duplicate=duplicate)

    def update_subscription(self, subscription_id: str, *, cancel_at_period_end: bool | None = None,
                            price: str | None = None) -> list[Delivery]:
        """``customer.subscription.updated``: cancel at the period's end (or not), or another price."""
        return self._send(self.account.update_subscription(subscription_id, cancel_at_period_end=cancel_at_period_end,
                                                           price=price))

    def cancel_subscription(self, subscription_id: str) -> list[Delivery]:
        """``customer.subscription.deleted``: cancelled now."""
        return self._send(self.account.cancel_subscription(subscription_id))

    def _send(self, events: list[Object], *, order: str = "sent", duplicate: bool = False) -> list[Delivery]:
        return self.webhook.send_all(ordered(events, order=order, duplicate=duplicate)) if self.webhook else []

    def _checkout_page(self, _request: Request, object_id: str) -> Response:
        session = self.account.checkout_session(object_id)
        amount = _amount(session["amount_total"], session["currency"])
        if session["status"] != "open":
            return _page("Checkout", f"<p>This session is {html.escape(session['status'])}.</p>")
        return _page("Checkout", f"<p>{html.escape(session['mode'])}: {amount}</p>"
                                 f"<form method='post' action='/checkout/{html.escape(object_id)}/pay'>"
                                 "<button type='submit'>Pay</button></form>")

    def _pay(self, _request: Request, object_id: str) -> Response:
        self.complete_checkout(object_id)
        success_url = self.account.checkout_session(object_id)["success_url"]
        if success_url:
            return Response(status=303, headers={"Location": success_url})
        return _page("Checkout", "<p>Paid.</p>")

    def _portal_page(self, _request: Request, object_id: str) -> Response:
        session = self.account.portal_session(object_id)
        invoices = self.account.list_invoices({"customer": session["customer"], "limit": 100})["data"]
        rows = "".join(f"<li><a href='{html.escape(i['hosted_invoice_url'])}'>{html.escape(i['number'])}</a> "
                       f"{_amount(i['total'], i['currency'])} {html.escape(i['status'])}</li>" for i in invoices)
        back = session["return_url"] or "/"
        return _page("Billing portal", f"<ul>{rows}</ul><p><a href='{html.escape(back)}'>Return</a></p>")

    def _invoice_page(self, _request: Request, object_id: str) -> Response:
        invoice = self.account.invoice(object_id)
        return _page(f"Invoice {invoice['number']}", f"<p>{_amount(invoice['total'], invoice['currency'])}, "
                                                     f"{html.escape(invoice['status'])}</p>")

    def _invoice_pdf(self, _request: Request, object_id: str) -> Response:
        from fpdf import FPDF

        invoice = self.account.invoice(object_id)
        pdf = FPDF()
        pdf.add_page()
        pdf.set_font("helvetica", size=14)
        pdf.cell(text=f"Invoice {invoice['number']}: {_amount(invoice['total'], invoice['currency'])}, "
                      f"{invoice['status']}")
        return Response(bytes(pdf.output()), content_type="application/pdf")

    # Controls (the fake's own, for tests and scripts)

    def _connect_account(self, request: Request) -> Response:
        """A new connected account: JSON ``business_name`` (str), ``charges_enabled`` (bool, true by default)."""
        options = request.get_json(silent=True) or {}
        name, charges = options.get("business_name", "Connected business"), options.get("charges_enabled", True)
        if not isinstance(name, str) or not isinstance(charges, bool):
            raise StripeError(400, "business_name is a string, charges_enabled a boolean")
        return _json(self.account.connect(business_name=name, charges_enabled=charges))

    def _complete(self, request: Request, object_id: str) -> Response:
        """Complete a session as if paid; ``order`` (sent, reversed) and ``duplicate`` (true) shape the delivery."""
        return _json({"deliveries": delivery_json(self.complete_checkout(object_id, **_delivery(request)))})

    def _fail_payment(self, request: Request, object_id: str) -> Response:
        return _json({"deliveries": delivery_json(self.fail_payment(object_id, **_delivery(request)))})

    def _pay_invoice(self, request: Request, object_id: str) -> Response:
        return _json({"deliveries": delivery_json(self.pay_invoice(object_id, **_delivery(request)))})

    def _update(self, request: Request, object_id: str) -> Response:
        """JSON ``cancel_at_period_end`` (bool) and/or ``price`` (a price of the fake's catalog)."""
        options = request.get_json(silent=True) or {}
        cancel, price = options.get("cancel_at_period_end"), options.get("price")
        if not isinstance(cancel, bool | None) or not isinstance(price, str | None):
            raise StripeError(400, "cancel_at_period_end is a boolean, price a price id")
        deliveries = self.update_subscription(object_id, cancel_at_period_end=cancel, price=price)
        return _json({"deliveries": delivery_json(deliveries)})

    def _cancel(self, _request: Request, object_id: str) -> Response:
        return _json({"deliveries": delivery_json(self.cancel_subscription(object_id))})

    def _list_events(self, _request: Request) -> Response:
        with self.account.lock:
            return _json({"object": "list", "data": list(reversed(self.account.events))})

    def _record_meter_event(self, request: Request) -> Response:
        """Usage recorded behind Atrium's back (a drift): JSON ``event_name``, ``customer``, ``value``,
        ``timestamp`` (epoch seconds; now when left out)."""
        options = request.get_json(silent=True) or {}
        try:
            value, timestamp = int(options["value"]), int(options.get("timestamp", clock.epoch()))
        except (KeyError, TypeError, ValueError):
            raise StripeError(400, "value (and timestamp) are integers") from None
        return _json(self.meters.record(str(options.get("event_name")), options.get("customer"), value, timestamp))

    def _send_event(self, _request: Request, object_id: str) -> Response:
        """Send an event again (Stripe retries, and sends some twice)."""
        event = self.account.event(object_id)
        if self.webhook is None:
            raise StripeError(400, "no webhook endpoint to send to")
        return _json({"deliveries": delivery_json([self.webhook.send(event)])})
