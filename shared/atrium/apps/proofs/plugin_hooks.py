"""The proofs app's synchronous plugin hooks (``PLUGIN_HOOKS``)."""

from atrium.plugins.api import SyncHook

BEFORE_SUBMIT = SyncHook("proof.before_submit", "Before a proof is submitted for review, with the proof as its "
                         "`proof.submitted` event would carry it: a plugin may refuse the submit, with a reason.")

PLUGIN_HOOKS = [BEFORE_SUBMIT]
