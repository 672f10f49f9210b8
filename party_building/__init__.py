"""社区党建 (Party building): one of the six domains."""
