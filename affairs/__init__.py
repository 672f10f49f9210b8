"""社区政务 (Government affairs): one of the six domains."""
