"""A Stripe-compatible fake HTTP server: the Stripe endpoints Atrium calls, in Stripe's wire format, driven by the
official SDK (``ATRIUM_STRIPE_API_BASE`` points it here), and Stripe's signed events sent to Atrium's
``/v1/hooks/stripe`` (in order, reversed or twice). The local stack runs it by default; tests start it in their
process. docs/billing.md lists exactly what it covers."""
