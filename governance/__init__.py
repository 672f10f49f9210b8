"""社区共治 (Co-governance): one of the six domains."""
