"""Imported first by a function's entry: pydantic builds each model's validator when the model is first used,
not when its class is defined.

A route function loads far more models than it uses: FastAPI's OpenAPI models (the largest single cost of its
cold start, needed only to serve a spec, which route functions do not), and the schemas of its context's other
routes. pydantic's ``defer_build`` postpones a model's build to its first validation or serialization; the
models the route uses are still built at init, while FastAPI sets the route up. pydantic has no public switch
for the default, so this sets its default configuration (``tests/unit/test_deferred_models.py`` proves it
still takes effect with the pydantic installed).
"""

from pydantic._internal import _config

_config.config_defaults["defer_build"] = True
