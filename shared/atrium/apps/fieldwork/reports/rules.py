"""Whether an assembly passed its test: computed from the readings by its type, never typed in.

RP (and RPDA): check valve 1 holds a differential of at least 5.0 psid and at least 3.0 above the relief valve's
opening point; check valve 2 closed tight; the relief valve opens at 2.0 psid or more. DC (and DCDA): check valves
1 and 2 held tight, each at 1.0 psid or more. PVB and SVB: the air inlet opens at 1.0 psid or more and the check
valve holds 1.0 psid or more. Readings are decimals (tenths of a psid), so a reading at a threshold passes exactly.
"""

from decimal import Decimal

from atrium.apps.fieldwork.assemblies.schemas import AssemblyType
from atrium.apps.fieldwork.reports.schemas import (
    DoubleCheckReadings,
    Readings,
    ReducedPressureReadings,
    VacuumBreakerReadings,
)

RP_CHECK_1_MIN = Decimal("5.0")
RP_CHECK_1_ABOVE_RELIEF = Decimal("3.0")
RP_RELIEF_MIN = Decimal("2.0")
DC_CHECK_MIN = Decimal("1.0")
VB_AIR_INLET_MIN = Decimal("1.0")
VB_CHECK_MIN = Decimal("1.0")

READINGS_OF: dict[AssemblyType, type[Readings]] = {
    AssemblyType.RP: ReducedPressureReadings, AssemblyType.RPDA: ReducedPressureReadings,
    AssemblyType.DC: DoubleCheckReadings, AssemblyType.DCDA: DoubleCheckReadings,
    AssemblyType.PVB: VacuumBreakerReadings, AssemblyType.SVB: VacuumBreakerReadings,
}


def _psid(value: float) -> Decimal:
    """The reading as written (6.3 - 3.3 is 3.0 here, not 2.9999999999999996)."""
    return Decimal(str(value))


def failures(readings: Readings) -> list[str]:
    """What failed, in words (empty: the assembly passed)."""
    if isinstance(readings, ReducedPressureReadings):
        check_1, relief = _psid(readings.check_valve_1_psid), _psid(readings.relief_valve_opening_psid)
        checks = [(check_1 < RP_CHECK_1_MIN, f"check valve 1 below {RP_CHECK_1_MIN} psid"),
                  (check_1 - relief < RP_CHECK_1_ABOVE_RELIEF,
                   f"check valve 1 less than {RP_CHECK_1_ABOVE_RELIEF} psid above the relief valve opening"),
                  (not readings.check_valve_2_closed_tight, "check valve 2 did not close tight"),
                  (relief < RP_RELIEF_MIN, f"relief valve opened below {RP_RELIEF_MIN} psid")]
    elif isinstance(readings, DoubleCheckReadings):
        checks = [(not readings.check_valve_1_closed_tight, "check valve 1 did not close tight"),
                  (_psid(readings.check_valve_1_psid) < DC_CHECK_MIN, f"check valve 1 below {DC_CHECK_MIN} psid"),
                  (not readings.check_valve_2_closed_tight, "check valve 2 did not close tight"),
                  (_psid(readings.check_valve_2_psid) < DC_CHECK_MIN, f"check valve 2 below {DC_CHECK_MIN} psid")]
    else:
        checks = [(_psid(readings.air_inlet_opening_psid) < VB_AIR_INLET_MIN,
                   f"air inlet opened below {VB_AIR_INLET_MIN} psid"),
                  (_psid(readings.check_valve_psid) < VB_CHECK_MIN, f"check valve below {VB_CHECK_MIN} psid")]
    return [reason for failed, reason in checks if failed]
