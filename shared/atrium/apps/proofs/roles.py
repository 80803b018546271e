"""What the built-in roles hold of the proofs app (``manifest.role_grants()`` adds it to ``BUILT_IN_ROLES``).

Members make and review proofs, make templates, import and rate gallery templates; viewers read them. Deleting a
proof or a template, and publishing a template to the library or the public gallery, are for admins (who hold
every permission).
"""

READS = frozenset({"proofs:read", "templates:read"})
WORK = READS | {"proofs:create", "proofs:update", "proofs:submit", "proofs:review", "proofs:comment",
                "templates:create", "templates:update", "templates:use", "templates:import", "templates:rate"}

ROLE_GRANTS = {"member": WORK, "viewer": READS}
