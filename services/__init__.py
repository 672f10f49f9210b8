"""社区服务 (Community services): one of the six domains."""
