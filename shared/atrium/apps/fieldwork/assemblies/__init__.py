"""Assemblies: the backflow preventers a site has, each unique by its serial on the site."""
