"""Plugins: tenant-installed WebAssembly code that runs sandboxed, with only the powers the tenant granted
(docs/plugins.md)."""
