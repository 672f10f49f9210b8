"""Personal data helpers: validators, display masks, encryption at rest, blind index.

Plain Python, not a Django app. Import from the submodules (validators, masking,
crypto, fields); this package deliberately re-exports nothing so that importing a
validator never pulls in the ORM.
"""
