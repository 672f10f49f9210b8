from core.extensions import OpenWorkProvider

CONTRIBUTIONS = [
    OpenWorkProvider(key="accounts.open_transfers", provider="core.accounts.open_work.open_transfers"),
    OpenWorkProvider(
        key="accounts.grids_without_lead", provider="core.accounts.open_work.grids_left_without_lead"
    ),
]

from core.accounts.corrections import CORRECTION_REQUEST  # noqa: E402 - declared next to its service

CONTRIBUTIONS.append(CORRECTION_REQUEST)
