"""Pass or fail from the readings, per assembly type, at and around each threshold."""

from typing import Any

import pytest

from atrium.apps.fieldwork.assemblies.schemas import AssemblyType
from atrium.apps.fieldwork.reports.rules import READINGS_OF, failures
from atrium.apps.fieldwork.reports.schemas import DoubleCheckReadings, ReducedPressureReadings, VacuumBreakerReadings

RP = {"check_valve_1_psid": 6.0, "check_valve_2_closed_tight": True, "relief_valve_opening_psid": 2.5}
DC = {"check_valve_1_psid": 2.0, "check_valve_1_closed_tight": True, "check_valve_2_psid": 2.0,
      "check_valve_2_closed_tight": True}
VB = {"air_inlet_opening_psid": 1.5, "check_valve_psid": 1.5}


@pytest.mark.parametrize(("change", "failed"), [
    ({}, []),
    ({"check_valve_1_psid": 5.0, "relief_valve_opening_psid": 2.0}, []),  # 5.0 and exactly 3.0 above 2.0
    ({"check_valve_1_psid": 4.9, "relief_valve_opening_psid": 1.9}, ["check valve 1 below 5.0 psid",
                                                                     "relief valve opened below 2.0 psid"]),
    ({"check_valve_1_psid": 5.5, "relief_valve_opening_psid": 2.5}, []),  # 3.0 above
    ({"check_valve_1_psid": 5.5, "relief_valve_opening_psid": 2.6},
     ["check valve 1 less than 3.0 psid above the relief valve opening"]),
    ({"check_valve_1_psid": 5.1, "relief_valve_opening_psid": 2.0}, []),
    ({"check_valve_1_psid": 6.3, "relief_valve_opening_psid": 3.3}, []),  # exactly 3.0 above, in decimals
    ({"check_valve_1_psid": 4.9, "relief_valve_opening_psid": 1.0}, ["check valve 1 below 5.0 psid",
                                                                     "relief valve opened below 2.0 psid"]),
    ({"relief_valve_opening_psid": 2.1}, []),
    ({"relief_valve_opening_psid": 1.9}, ["relief valve opened below 2.0 psid"]),
    ({"check_valve_2_closed_tight": False}, ["check valve 2 did not close tight"]),
    ({"check_valve_1_psid": 0.0, "relief_valve_opening_psid": 0.0, "check_valve_2_closed_tight": False},
     ["check valve 1 below 5.0 psid", "check valve 1 less than 3.0 psid above the relief valve opening",
      "check valve 2 did not close tight", "relief valve opened below 2.0 psid"]),
])
def test_reduced_pressure(change: dict[str, Any], failed: list[str]) -> None:
    assert failures(ReducedPressureReadings.model_validate(RP | change)) == failed


@pytest.mark.parametrize(("change", "failed"), [
    ({}, []),
    ({"check_valve_1_psid": 1.0, "check_valve_2_psid": 1.0}, []),
    ({"check_valve_1_psid": 1.1}, []),
    ({"check_valve_1_psid": 0.9}, ["check valve 1 below 1.0 psid"]),
    ({"check_valve_2_psid": 0.9}, ["check valve 2 below 1.0 psid"]),
    ({"check_valve_1_closed_tight": False}, ["check valve 1 did not close tight"]),
    ({"check_valve_2_closed_tight": False}, ["check valve 2 did not close tight"]),
    ({"check_valve_1_closed_tight": False, "check_valve_1_psid": 0.0, "check_valve_2_closed_tight": False,
      "check_valve_2_psid": 0.0}, ["check valve 1 did not close tight", "check valve 1 below 1.0 psid",
                                   "check valve 2 did not close tight", "check valve 2 below 1.0 psid"]),
])
def test_double_check(change: dict[str, Any], failed: list[str]) -> None:
    assert failures(DoubleCheckReadings.model_validate(DC | change)) == failed


@pytest.mark.parametrize(("change", "failed"), [
    ({}, []),
    ({"air_inlet_opening_psid": 1.0, "check_valve_psid": 1.0}, []),
    ({"air_inlet_opening_psid": 1.1, "check_valve_psid": 1.1}, []),
    ({"air_inlet_opening_psid": 0.9}, ["air inlet opened below 1.0 psid"]),
    ({"check_valve_psid": 0.9}, ["check valve below 1.0 psid"]),
    ({"air_inlet_opening_psid": 0.0, "check_valve_psid": 0.0}, ["air inlet opened below 1.0 psid",
                                                                 "check valve below 1.0 psid"]),
])
def test_vacuum_breakers(change: dict[str, Any], failed: list[str]) -> None:
    assert failures(VacuumBreakerReadings.model_validate(VB | change)) == failed


def test_detector_assemblies_follow_their_kind_and_every_type_has_readings() -> None:
    assert READINGS_OF[AssemblyType.RPDA] is READINGS_OF[AssemblyType.RP] is ReducedPressureReadings
    assert READINGS_OF[AssemblyType.DCDA] is READINGS_OF[AssemblyType.DC] is DoubleCheckReadings
    assert READINGS_OF[AssemblyType.SVB] is READINGS_OF[AssemblyType.PVB] is VacuumBreakerReadings
    assert set(READINGS_OF) == set(AssemblyType)


@pytest.mark.parametrize("psid", [-0.1, 100.0, 5.05])
def test_readings_are_tenths_of_a_psid_in_range(psid: Any) -> None:
    with pytest.raises(ValueError, match="check_valve_psid"):
        VacuumBreakerReadings.model_validate(VB | {"check_valve_psid": psid})
