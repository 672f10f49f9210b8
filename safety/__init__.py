"""社区安全 (Community safety): one of the six domains."""
