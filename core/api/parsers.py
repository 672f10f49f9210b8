"""The JSON parser of the API: as DRF's, but a body nested deeper than Python's recursion limit
(`[[[[…`) is a parse error in the one error shape, not a 500."""

from __future__ import annotations

from django.utils.translation import gettext as _
from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


class JSONBodyParser(JSONParser):
    def parse(self, stream, media_type=None, parser_context=None):
        try:
            return super().parse(stream, media_type, parser_context)
        except RecursionError:
            raise ParseError(_("The request body is nested too deeply.")) from None
