"""The local runtime: moto server, provisioning from the declarations, worker, dev server, CLI.

A package of its own beside ``atrium``: the Lambda domain layer ships ``atrium`` alone, so nothing here (moto,
uvicorn, typer, the CLI) is ever deployed. It may import ``atrium``; ``atrium`` never imports it.
"""
