"""The fake's Stripe account: its objects, in Stripe's shapes, and what the endpoints do to them.

Objects are plain dicts shaped as Stripe's API answers them (``id``, ``object``, ``created``, ``livemode``...), so
the official SDK reads them as it reads Stripe's. Every change happens under one lock: requests from several
threads (the dev stack's API, a test's concurrent calls) see one order of events, as they would at Stripe.
"""

import json
import secrets
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import count
from typing import Any

# Not billing.api: use_stripe_fake imports this module before the settings may be read, and the api's imports
# read them (the table's models).
from atrium.billing.metering.meters import REPORTED_METERS as _REPORTED
from atrium.billing.metering.meters import Meter
from atrium.kernel import clock

Object = dict[str, Any]

API_VERSION = "2026-10-28.endive"
CURRENCY = "usd"
MONTH, YEAR = 30 * 24 * 3600, 365 * 24 * 3600
MAX_LIST_LIMIT = 100


def _price(plan: str, interval: str, unit_amount: int) -> Object:
    return {"id": f"price_{plan}_{interval}ly", "object": "price", "active": True, "currency": CURRENCY,
            "unit_amount": unit_amount, "billing_scheme": "per_unit", "product": f"prod_{plan}", "type": "recurring",
            "livemode": False, "created": 0,
            "recurring": {"interval": interval, "interval_count": 1, "usage_type": "licensed", "meter": None}}


def _metered_price(plan: str, interval: str, meter: Meter) -> Object:
    """A plan's price of a reported meter's usage: at Stripe, tiers (the plan's included amount, then the overage),
    which the API shows only when expanded and the fake does not bill."""
    return {"id": f"price_{plan}_{meter.value}_{interval}ly", "object": "price", "active": True, "currency": CURRENCY,
            "unit_amount": None, "billing_scheme": "tiered", "tiers_mode": "graduated",
            "product": f"prod_{plan}_{meter.value}", "type": "recurring", "livemode": False, "created": 0,
            "recurring": {"interval": interval, "interval_count": 1, "usage_type": "metered",
                          "meter": f"mtr_{meter.stripe_event_name}"}}


_PLANS, _INTERVALS = ("professional", "enterprise"), ("month", "year")
# Each meter Atrium reports to Stripe (it names its event name).
# The prices the fake sells, what Atrium's plans map to locally (``LOCAL_PRICE_IDS``): Professional $29 a month
# ($290 a year), Enterprise $99 a month ($990 a year); and each plan's metered price per interval and reported meter
# (``LOCAL_METERED_PRICE_IDS``).
PRICES: dict[str, Object] = {price["id"]: price for price in (
    _price("professional", "month", 2900), _price("professional", "year", 29000),
    _price("enterprise", "month", 9900), _price("enterprise", "year", 99000),
    *(_metered_price(plan, interval, meter) for plan in _PLANS for interval in _INTERVALS for meter in _REPORTED))}
LOCAL_PRICE_IDS = {plan: {interval: f"price_{plan}_{interval}ly" for interval in _INTERVALS} for plan in _PLANS}
LOCAL_METERED_PRICE_IDS = {plan: {interval: {meter.value: f"price_{plan}_{meter.value}_{interval}ly"
                                             for meter in _REPORTED} for interval in _INTERVALS} for plan in _PLANS}
# A Stripe account connected to the platform (Stripe Connect) from the start: a tenant's own account to take its
# customers' payments on, as the examples of the API name it. ``Account.connect`` adds others.
LOCAL_CONNECTED_ACCOUNT = "acct_1AtriumLocalOffice"


class StripeError(Exception):
    """An error answer, in Stripe's shape: ``{"error": {"type", "message", "param"?, "code"?}}``."""

    def __init__(self, status: int, message: str, *, type: str = "invalid_request_error", param: str | None = None,
                 code: str | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.body = {"error": {key: value for key, value in
                               {"type": type, "message": message, "param": param, "code": code}.items() if value}}


def missing(kind: str, object_id: str, param: str = "id") -> StripeError:
    return StripeError(404, f"No such {kind}: '{object_id}'", param=param, code="resource_missing")


def no_access(account_id: str) -> StripeError:
    """What Stripe answers about an account that is not connected to the platform (or does not exist)."""
    return StripeError(403, f"The provided key does not have access to account '{account_id}' (or that account "
                            "does not exist). Application access may have been revoked.", code="account_invalid")


def _required(params: Object, name: str) -> Any:
    if params.get(name) in (None, ""):
        raise StripeError(400, f"Missing required param: {name}.", param=name, code="parameter_missing")
    return params[name]


def _metered(price: Object) -> bool:
    return bool(price["recurring"]) and price["recurring"]["usage_type"] == "metered"


def _new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_urlsafe(18).replace('-', 'x').replace('_', 'y')}"


@dataclass
class Replay:
    """A POST answered under an Idempotency-Key: the same key with the same request gets the same answer."""

    request: str
    status: int
    body: Object


@dataclass
class Account:
    # Where the fake serves its hosted pages (checkout, portal, invoices); the app sets it from its address.
    base_url: str = "http://127.0.0.1"
    customers: dict[str, Object] = field(default_factory=dict)
    # The accounts connected to the platform (Stripe Connect), by id.
    connected_accounts: dict[str, Object] = field(default_factory=dict)
    checkout_sessions: dict[str, Object] = field(default_factory=dict)
    portal_sessions: dict[str, Object] = field(default_factory=dict)
    subscriptions: dict[str, Object] = field(default_factory=dict)
    invoices: dict[str, Object] = field(default_factory=dict)
    events: list[Object] = field(default_factory=list)
    replays: dict[str, Replay] = field(default_factory=dict)
    lock: threading.RLock = field(default_factory=threading.RLock)
    # Creation order (Stripe lists newest first; ``created`` is in whole seconds, so it cannot order them).
    _sequence: Iterator[int] = field(default_factory=count)
    line_items: dict[str, list[Object]] = field(default_factory=dict)  # by checkout session

    def __post_init__(self) -> None:
        self.connect(account_id=LOCAL_CONNECTED_ACCOUNT, business_name="Local testing office")

    def _object(self, prefix: str, kind: str, **fields: Any) -> Object:
        return {"id": _new_id(prefix), "object": kind, "created": clock.epoch(), "livemode": False, **fields,
                "_sequence": next(self._sequence)}

    # Idempotency-Key (Stripe keeps a key 24 hours; the fake, as long as it runs).

    def idempotent(self, key: str | None, request: Object, answer: Callable[[], tuple[int, Object]],
                   ) -> tuple[int, Object, bool]:
        """``answer()`` once per key: a replay of the same request gets the first answer (and ``True``)."""
        with self.lock:
            if key is None:
                return (*answer(), False)
            fingerprint = json.dumps(request, sort_keys=True)
            if (replay := self.replays.get(key)) is not None:
                if replay.request != fingerprint:
                    raise StripeError(400, "Keys for idempotent requests can only be used with the same parameters "
                                           "they were first used with.", type="idempotency_error")
                return replay.status, replay.body, True
            try:
                status, body = answer()
            except StripeError as error:  # Stripe saves the outcome of a request that ran, errors too
                status, body = error.status, error.body
            self.replays[key] = Replay(fingerprint, status, body)
            return status, body, False

    # Customers

    def create_customer(self, params: Object) -> Object:
        with self.lock:
            customer = self._object("cus", "customer", name=params.get("name"), email=params.get("email"),
                                    description=params.get("description"), metadata=params.get("metadata", {}),
                                    invoice_prefix=secrets.token_hex(4).upper(), next_invoice_sequence=1)
            self.customers[customer["id"]] = customer
            return customer

    def customer(self, customer_id: str, param: str = "id") -> Object:
        with self.lock:
            if customer_id not in self.customers:
                raise missing("customer", customer_id, param)
            return self.customers[customer_id]

    # Connected accounts (Stripe Connect): a tenant's own Stripe account, which the platform acts on with the
    # ``Stripe-Account`` header.

    def connect(self, *, account_id: str | None = None, business_name: str = "Connected business",
                charges_enabled: bool = True) -> Object:
        """An account connected to the platform (as Connect onboarding leaves it), able to take charges or not."""
        with self.lock:
            account = self._object("acct", "account", type="standard", country="US", default_currency=CURRENCY,
                                   business_profile={"name": business_name}, charges_enabled=charges_enabled,
                                   payouts_enabled=charges_enabled, details_submitted=True)
            if account_id is not None:
                account["id"] = account_id
            self.connected_accounts[account["id"]] = account
            return account

    def connected_account(self, account_id: str) -> Object:
        with self.lock:
            if account_id not in self.connected_accounts:
                raise no_access(account_id)
            return self.connected_accounts[account_id]

    # Checkout sessions

    def _line_item(self, item: Any, mode: str, index: int) -> Object:
        param = f"line_items[{index}]"
        if not isinstance(item, dict):
            raise StripeError(400, "Invalid line item.", param=param)
        if "price" in item:
            price = PRICES.get(item["price"])
            if price is None:
                raise missing("price", item["price"], f"{param}[price]")
        elif mode == "payment" and isinstance(data := item.get("price_data"), dict):
            price = {"id": _new_id("price"), "object": "price", "type": "one_time", "recurring": None,
                     "currency": _required(data, "currency"), "unit_amount": int(_required(data, "unit_amount")),
                     "product_data": data.get("product_data", {})}
        else:
            raise StripeError(400, "Each line item needs a price (or, in payment mode, price_data).", param=param)
        if (price["type"] == "recurring") != (mode == "subscription"):
            raise StripeError(400, f"A {price['type']} price cannot be used in {mode} mode.", param=f"{param}[price]")
        if _metered(price):  # billed by the usage reported, after the period: no quantity, nothing due now
            if "quantity" in item:
                raise StripeError(400, "Quantity should not be specified where usage_type is `metered`. Remove "
                                       f"quantity from `{param}`.", param=f"{param}[quantity]")
            return {"price": price, "amount_total": 0}
        quantity = int(item.get("quantity", 1))
        return {"price": price, "quantity": quantity, "amount_total": price["unit_amount"] * quantity}

    def create_checkout_session(self, params: Object, account: str | None = None) -> Object:
        """A session on the platform's account, or on the connected ``account`` (``Stripe-Account``)."""
        mode = _required(params, "mode")
        if mode not in ("subscription", "payment"):
            raise StripeError(400, "The fake supports mode subscription and payment.", param="mode")
        items = params.get("line_items")
        if not isinstance(items, list) or not items:
            raise StripeError(400, "Missing required param: line_items.", param="line_items")
        with self.lock:
            customer = params.get("customer")
            if customer is not None:
                self.customer(customer, "customer")
            lines = [self._line_item(item, mode, index) for index, item in enumerate(items)]
            if len({(line["price"]["recurring"] or {}).get("interval") for line in lines}) > 1:
                raise StripeError(400, "All prices on a subscription must have the same `recurring.interval` and "
                                       "`recurring.interval_count`.", param="line_items")
            session = self._object(
                "cs_test", "checkout.session", mode=mode, status="open", payment_status="unpaid", customer=customer,
                client_reference_id=params.get("client_reference_id"), metadata=params.get("metadata", {}),
                success_url=params.get("success_url"), cancel_url=params.get("cancel_url"),
                currency=lines[0]["price"]["currency"], amount_total=sum(line["amount_total"] for line in lines),
                customer_email=params.get("customer_email"), subscription=None, payment_intent=None,
                expires_at=clock.epoch() + 24 * 3600, payment_link=None,
                _subscription_data=params.get("subscription_data", {}), _account=account)
            session["url"] = f"{self.base_url}/checkout/{session['id']}"
            self.checkout_sessions[session["id"]] = session
            self.line_items[session["id"]] = lines
            return session

    def checkout_session(self, session_id: str) -> Object:
        with self.lock:
            if session_id not in self.checkout_sessions:
                raise missing("checkout.session", session_id)
            return self.checkout_sessions[session_id]

    def complete_checkout(self, session_id: str) -> list[Object]:
        """The customer paid on the hosted page: the session completes; in subscription mode a subscription starts
        and its first invoice is paid. Returns the events Stripe would send, in the order it usually sends them."""
        with self.lock:
            session = self.checkout_session(session_id)
            if session["status"] != "open":
                raise StripeError(400, f"Checkout session {session_id} is {session['status']}.")
            session.update(status="complete", payment_status="paid")
            if session["mode"] == "payment":
                session["payment_intent"] = _new_id("pi")
                return [self._event("checkout.session.completed", session)]
            if session["customer"] is None:
                session["customer"] = self.create_customer({"metadata": session["metadata"]})["id"]
            subscription = self._start_subscription(session)
            invoice = self._subscription_invoice(subscription)
            return [self._event("checkout.session.completed", session),
                    self._event("customer.subscription.created", subscription),
                    self._event("invoice.paid", invoice)]

    def _start_subscription(self, session: Object) -> Object:
        data, now = session["_subscription_data"], clock.epoch()
        trial_days = int(data.get("trial_period_days", 0))
        trial_end = now + trial_days * 24 * 3600 if trial_days else None
        lines = self.line_items[session["id"]]
        period = YEAR if lines[0]["price"]["recurring"]["interval"] == "year" else MONTH
        start, end = now, (trial_end or now + period)
        subscription = self._object(
            "sub", "subscription", customer=session["customer"], status="trialing" if trial_end else "active",
            metadata=data.get("metadata", {}), cancel_at_period_end=False, cancel_at=None, canceled_at=None,
            ended_at=None,
            start_date=start, trial_start=now if trial_end else None, trial_end=trial_end, currency=CURRENCY,
            latest_invoice=None, collection_method="charge_automatically")
        subscription["items"] = {"object": "list", "has_more": False, "url": "/v1/subscription_items", "data": [
            {"id": _new_id("si"), "object": "subscription_item", "price": line["price"],
             "current_period_start": start, "current_period_end": end, "subscription": subscription["id"],
             **({"quantity": line["quantity"]} if "quantity" in line else {})}
            for line in lines]}
        self.subscriptions[subscription["id"]] = subscription
        session["subscription"] = subscription["id"]
        return subscription

    def _subscription_invoice(self, subscription: Object, status: str = "paid") -> Object:
        items = subscription["items"]["data"]
        amount = 0 if subscription["status"] == "trialing" else sum(  # usage is not billed by the fake
            item["price"]["unit_amount"] * item["quantity"] for item in items if not _metered(item["price"]))
        invoice = self.add_invoice(subscription["customer"], amount, status=status, subscription_id=subscription["id"],
                                   period=(items[0]["current_period_start"], items[0]["current_period_end"]))
        subscription["latest_invoice"] = invoice["id"]
        return invoice

    def subscription(self, subscription_id: str) -> Object:
        with self.lock:
            if subscription_id not in self.subscriptions:
                raise missing("subscription", subscription_id)
            return self.subscriptions[subscription_id]

    # What happens to a subscription later at Stripe (renewals, the portal), each with the events Stripe sends.

    def fail_payment(self, subscription_id: str) -> list[Object]:
        """The next period's invoice cannot be charged: it stays open and the subscription goes past_due."""
        with self.lock:
            subscription = self._live(subscription_id)
            item = subscription["items"]["data"][0]
            length = item["current_period_end"] - item["current_period_start"]
            for each in subscription["items"]["data"]:
                each.update(current_period_start=item["current_period_end"],
                            current_period_end=item["current_period_end"] + length)
            invoice = self._subscription_invoice(subscription, status="open")
            invoice["billing_reason"] = "subscription_cycle"
            invoice["attempt_count"] = 1
            subscription["status"] = "past_due"
            return [self._event("invoice.payment_failed", invoice),
                    self._event("customer.subscription.updated", subscription)]

    def pay_latest_invoice(self, subscription_id: str) -> list[Object]:
        """The customer pays the open invoice (a new card, a retry that works): the subscription is active again."""
        with self.lock:
            subscription = self._live(subscription_id)
            invoice = self.invoice(subscription["latest_invoice"])
            if invoice["status"] != "open":
                raise StripeError(400, f"Invoice {invoice['id']} is {invoice['status']}.")
            invoice.update(status="paid", amount_paid=invoice["amount_due"], amount_remaining=0)
            subscription["status"] = "active"
            return [self._event("invoice.paid", invoice), self._event("customer.subscription.updated", subscription)]

    def update_subscription(self, subscription_id: str, *, cancel_at_period_end: bool | None = None,
                            price: str | None = None) -> list[Object]:
        """As the Customer Portal does: cancel at the period's end (or not), or switch to another price."""
        with self.lock:
            subscription = self._live(subscription_id)
            if cancel_at_period_end is not None:
                subscription["cancel_at_period_end"] = cancel_at_period_end
            if price is not None:
                if price not in PRICES:
                    raise missing("price", price, "price")
                next(item for item in subscription["items"]["data"] if not _metered(item["price"]))["price"] = (
                    PRICES[price])
            return [self._event("customer.subscription.updated", subscription)]

    def cancel_subscription(self, subscription_id: str) -> list[Object]:
        """Cancelled now (the portal, or dunning giving up): Stripe keeps the subscription, ``canceled``."""
        with self.lock:
            subscription = self._live(subscription_id)
            subscription.update(status="canceled", canceled_at=clock.epoch(), ended_at=clock.epoch())
            return [self._event("customer.subscription.deleted", subscription)]

    def set_cancel_at(self, subscription_id: str, params: Object) -> Object:
        """``POST /v1/subscriptions/{id}`` with ``cancel_at`` (the fake takes nothing else): the subscription ends
        then (a Unix time), or not (an empty string), with ``customer.subscription.updated`` kept in ``events``."""
        unknown = set(params) - {"cancel_at", "proration_behavior"}
        if unknown:
            raise StripeError(400, f"The fake updates only cancel_at, not {sorted(unknown)}.", param=min(unknown))
        cancel_at = params.get("cancel_at", "")
        if cancel_at != "" and not str(cancel_at).isdigit():
            raise StripeError(400, f"Invalid timestamp: {cancel_at}", param="cancel_at")
        with self.lock:
            subscription = self._live(subscription_id)
            subscription["cancel_at"] = int(cancel_at) if cancel_at != "" else None
            self._event("customer.subscription.updated", subscription)
            return subscription

    def update_subscription_item(self, item_id: str, params: Object) -> Object:
        """``POST /v1/subscription_items/{id}``: a new ``quantity`` (a per-seat plan's seats), with
        ``customer.subscription.updated`` as Stripe sends it (kept in ``events``, as an API change sends it)."""
        with self.lock:
            found: list[tuple[Object, Object]] = [
                (subscription, item) for subscription in self.subscriptions.values()
                for item in subscription["items"]["data"] if item["id"] == item_id]
            if not found:
                raise missing("subscription_item", item_id)
            subscription, item = found[0]
            self._live(subscription["id"])
            if "quantity" in params:
                quantity = params["quantity"]
                if _metered(item["price"]):
                    raise StripeError(400, "Quantity should not be specified where usage_type is `metered`.",
                                      param="quantity")
                if not str(quantity).isdigit():
                    raise StripeError(400, f"Invalid non-negative integer: {quantity}", param="quantity")
                item["quantity"] = int(quantity)
            self._event("customer.subscription.updated", subscription)
            return item

    def _live(self, subscription_id: str) -> Object:
        subscription = self.subscription(subscription_id)
        if subscription["status"] == "canceled":
            raise StripeError(400, f"Subscription {subscription_id} is canceled.")
        return subscription

    # Invoices

    def add_invoice(self, customer_id: str, amount: int, *, status: str = "paid", subscription_id: str | None = None,
                    period: tuple[int, int] | None = None) -> Object:
        """An invoice of the customer (a subscription's, or one a test makes to have invoices to list)."""
        with self.lock:
            customer = self.customer(customer_id)
            number = f"{customer['invoice_prefix']}-{customer['next_invoice_sequence']:04d}"
            customer["next_invoice_sequence"] += 1
            start, end = period or (clock.epoch(), clock.epoch())
            paid = amount if status == "paid" else 0
            parent = {"type": "subscription_details", "subscription_details": {"subscription": subscription_id}}
            invoice = self._object(
                "in", "invoice", customer=customer_id, number=number, status=status, currency=CURRENCY,
                amount_due=amount, amount_paid=paid, amount_remaining=amount - paid, subtotal=amount, total=amount,
                period_start=start, period_end=end, parent=parent if subscription_id else None,
                billing_reason="subscription_create" if subscription_id else "manual")
            invoice["hosted_invoice_url"] = f"{self.base_url}/invoices/{invoice['id']}"
            invoice["invoice_pdf"] = f"{self.base_url}/invoices/{invoice['id']}/pdf"
            self.invoices[invoice["id"]] = invoice
            return invoice

    def invoice(self, invoice_id: str) -> Object:
        with self.lock:
            if invoice_id not in self.invoices:
                raise missing("invoice", invoice_id)
            return self.invoices[invoice_id]

    def list_invoices(self, params: Object) -> Object:
        """Newest first; ``customer`` filters, ``limit`` (1 to 100, 10 by default) and ``starting_after`` page."""
        try:
            limit = int(params.get("limit", 10))
        except ValueError:
            limit = 0
        if not 1 <= limit <= MAX_LIST_LIMIT:
            raise StripeError(400, "limit must be between 1 and 100.", param="limit")
        with self.lock:
            found = sorted((invoice for invoice in self.invoices.values()
                            if params.get("customer") in (None, invoice["customer"])),
                           key=lambda invoice: invoice["_sequence"], reverse=True)
            if (after := params.get("starting_after")) is not None:
                position = next((i for i, invoice in enumerate(found) if invoice["id"] == after), None)
                if position is None:
                    raise missing("invoice", after, "starting_after")
                found = found[position + 1:]
            return {"object": "list", "url": "/v1/invoices", "has_more": len(found) > limit, "data": found[:limit]}

    # Billing portal sessions

    def create_portal_session(self, params: Object) -> Object:
        with self.lock:
            customer = self.customer(_required(params, "customer"), "customer")
            session = self._object("bps", "billing_portal.session", customer=customer["id"],
                                   return_url=params.get("return_url"), configuration=None, on_behalf_of=None)
            session["url"] = f"{self.base_url}/portal/{session['id']}"
            self.portal_sessions[session["id"]] = session
            return session

    def portal_session(self, session_id: str) -> Object:
        with self.lock:
            if session_id not in self.portal_sessions:
                raise missing("billing_portal.session", session_id)
            return self.portal_sessions[session_id]

    # Events

    def _event(self, event_type: str, subject: Object) -> Object:
        """The event of a change of ``subject``; one of a connected account's object names the account, as
        Stripe's events sent to a Connect endpoint do."""
        event = self._object("evt", "event", type=event_type, api_version=API_VERSION, pending_webhooks=1,
                             request={"id": None, "idempotency_key": None},
                             data={"object": shown(subject)})
        if subject.get("_account") is not None:
            event["account"] = subject["_account"]
        self.events.append(event)
        return event

    def event(self, event_id: str) -> Object:
        with self.lock:
            found = next((event for event in self.events if event["id"] == event_id), None)
            if found is None:
                raise missing("event", event_id)
            return found


def shown(value: Any) -> Any:
    """An object as the API shows it: a snapshot, without the fake's own bookkeeping (``_sequence``)."""
    if isinstance(value, dict):
        return {key: shown(item) for key, item in value.items() if not key.startswith("_")}
    if isinstance(value, list):
        return [shown(item) for item in value]
    return value
