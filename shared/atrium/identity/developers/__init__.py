"""Plugin developers: a realm of their own beside tenant users and operators (docs/plugins.md, "Developers")."""
