"""Test-only scenario apps: one that starts, and one for each kind of start-up error."""
