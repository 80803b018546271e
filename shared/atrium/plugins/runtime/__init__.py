"""The plugin runtime: the host functions a plugin may import (``abi``), the check of a module before it is
installed (``scan``), and the sandbox that runs one hook call under fuel, memory and time limits (``sandbox``)."""
