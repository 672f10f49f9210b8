"""Re-encrypt every encrypted column with the active PII_KEY (see core/pii/rotation.py).

Rotation: generate a key (`python -c "from core.pii.crypto import generate_key; print(generate_key())"`),
set it as PII_KEY, move the old one to PII_PREVIOUS_KEYS, restart, run this, then drop the old key.
The blind index (PII_INDEX_KEY) is not affected.
"""

from django.core.management.base import BaseCommand

from core.pii.rotation import rotate_all


class Command(BaseCommand):
    help = "Re-encrypt personal data with the active PII_KEY."

    def handle(self, *args, **options) -> None:
        counts = rotate_all(progress=lambda column, n: self.stderr.write(f"  {column}: {n} re-encrypted"))
        for column, rotated in counts.items():
            self.stdout.write(f"{column}: {rotated}")
        self.stdout.write(self.style.SUCCESS(f"Re-encrypted {sum(counts.values())} values."))
