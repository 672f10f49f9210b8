"""What masking free text costs a list page: a page of 100 residents serialized by ResidentOutput
with its free-text fields masked (core.pii.masking.mask_free_text) against the same serializer
with plain text fields (main before issue 13), on the same rows read once.

    DATABASE_URL=postgres://…/sc_bench_100000 python -m bench.bench_free_text

Reads only: the rows of a page (and, so that the masking has something to find, notes given an ID
number and a mobile in memory; nothing is written).
"""

from __future__ import annotations

import os

from bench._django import setup
from bench.harness import Context, Result, at_most, cli, compare, within_ms

PAGE = 100


def run(ctx: Context) -> list[Result]:
    setup(vacuum=False)
    from rest_framework import serializers

    from core.pii.masking import mask_free_text
    from core.registry.api.serializers import ResidentOutput
    from core.registry.models import Resident

    # Both sides are subclasses, built the same way (the class ResidentOutput itself measures
    # slower than any subclass of it, masking or not: a DRF caching effect, not ours).
    class MaskedResidentOutput(ResidentOutput):
        pass

    class PlainResidentOutput(ResidentOutput):
        registered_address = serializers.CharField(allow_blank=True)
        note = serializers.CharField(allow_blank=True)
        house_address = serializers.CharField(source="house.address", default="")

    rows = list(Resident.objects.select_related("region", "house").order_by("id")[:PAGE])
    for index, row in enumerate(rows):
        row.current_tags = []  # the page's tags come prefetched; not what is measured here
        if index % 10 == 0:  # one note in ten holds a number to mask
            row.note = f"联系人身份证 34020219800101123X，电话 139{index:08d}"
        elif index % 3 == 0:
            row.note = "独居，每周上门走访一次；子女在外地工作。"

    def ours():
        return MaskedResidentOutput(rows, many=True).data

    def baseline():
        return PlainResidentOutput(rows, many=True).data

    notes = [row.note or "独居，每周上门走访一次；子女在外地工作。" for row in rows]
    results = [
        compare(
            f"resident page of {len(rows)}, free text masked",
            ("ResidentOutput (masked)", ours),
            ("plain text fields", baseline),
            target=at_most(1.15),
            runs=ctx.runs,
            note=f"load average {os.getloadavg()[0]:.1f}",
        ),
        compare(
            f"mask_free_text over {len(notes)} notes",
            ("mask_free_text", lambda: [mask_free_text(n) for n in notes]),
            ("no masking", lambda: list(notes)),
            target=within_ms(2),
            runs=ctx.runs,
            note=f"load average {os.getloadavg()[0]:.1f}",
        ),
    ]
    return results


if __name__ == "__main__":
    cli(run)
