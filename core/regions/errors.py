"""The error codes of the region tree (core.regions): every code it raises is declared here, once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class RegionsError(ErrorCode):
    INVALID_BOUNDARY = "invalid_boundary"
    MERGE_CLASH = "merge_clash"
    NAME_TAKEN = "name_taken"
    REGION_MERGED = "region_merged"
