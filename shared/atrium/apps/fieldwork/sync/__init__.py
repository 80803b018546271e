"""Field sync: what a tester's device keeps for working without signal (its open work orders, their assemblies,
sites and last signed reports), sent as it changes since the device's last sync."""
