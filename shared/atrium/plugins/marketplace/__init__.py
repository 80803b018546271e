"""The plugin marketplace: developers submit versions, operators review them, tenants find and install approved
ones (docs/plugins.md, "Marketplace")."""
