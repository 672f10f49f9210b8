"""The .xlsx export of a dashboard view: the node and each child, one row per metric, counts of
people always withheld below k (an export leaves the office)."""

from __future__ import annotations

import tempfile
from typing import IO

from django.utils.translation import gettext as _

from core.imports.workbook import append_row, new_sheet


def write_dashboard(view: dict) -> IO[bytes]:
    headers = [
        _("Region"),
        _("Indicator"),
        _("Unit"),
        _("Value"),
        _("Previous period"),
        _("Change"),
        _("As of"),
    ]
    workbook, sheet = new_sheet(_("Dashboard"), headers, [18, 30, 10, 14, 14, 12, 22])
    metrics = view["metrics"]
    for node in [{"region": view["region"], "indicators": view["indicators"]}, *view["children"]]:
        for metric in metrics:
            entry = node["indicators"][metric["key"]]
            value = _("withheld") if entry["suppressed"] else entry["value"]
            as_of = entry["as_of"].isoformat(timespec="seconds") if entry["as_of"] else ""
            append_row(
                sheet,
                [
                    node["region"]["name"],
                    metric["name"],
                    metric["unit"],
                    value,
                    entry["previous"],
                    entry["change"],
                    as_of,
                ],
            )
    handle = tempfile.TemporaryFile()  # noqa: SIM115 - the response streams and closes it
    workbook.save(handle)
    handle.seek(0)
    return handle
