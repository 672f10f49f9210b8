"""The error codes of the register's imports and exports (core.imports), each declared once.

A code is part of the API (clients branch on it): rename one only with the clients.
"""

from core.api.errors import ErrorCode


class ImportsError(ErrorCode):
    EXPORT_TOO_LARGE = "export_too_large"
    IMPORT_BAD_HEADERS = "import_bad_headers"
    IMPORT_CELL_TOO_LONG = "import_cell_too_long"
    IMPORT_EMPTY = "import_empty"
    IMPORT_FILE_TOO_LARGE = "import_file_too_large"
    IMPORT_NOT_XLSX = "import_not_xlsx"
    IMPORT_TOO_MANY_ROWS = "import_too_many_rows"
    PURPOSE_REQUIRED = "purpose_required"
    UNKNOWN_REGION = "unknown_region"
