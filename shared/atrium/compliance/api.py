"""The compliance context's public face."""

from atrium.compliance.keys.rotation import rotate_data_key

__all__ = ["rotate_data_key"]
