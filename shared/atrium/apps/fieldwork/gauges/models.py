"""Gauge items. A gauge's serial is held unique in the tenant by a guard item (``Unique#gauge_serial#<SERIAL>``)."""

from pynamodb.attributes import UnicodeAttribute

from atrium.kernel.store.models import TenantEntity

SERIAL_FIELD = "gauge_serial"


class GaugeItem(TenantEntity, discriminator="Gauge"):
    serial = UnicodeAttribute()
    make = UnicodeAttribute()
    model = UnicodeAttribute()
    calibration_expires_on = UnicodeAttribute()  # ISO YYYY-MM-DD: in calibration through that day

    def serial_key(self) -> str:
        """Serials are compared without case."""
        return self.serial.upper()
