"""The local runtime: moto server, provisioning from the declarations, worker, dev server, CLI."""
