"""Test reports: readings by assembly type, the result computed from them, signing and amendments."""
