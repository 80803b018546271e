"""Test gauges: the differential pressure gauges tests are read with, and their calibration."""
