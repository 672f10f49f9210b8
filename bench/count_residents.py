"""Print how many residents the benchmark database holds (0 when the table is empty)."""

from bench._django import setup

if __name__ == "__main__":
    setup(vacuum=False)
    from core.registry.models import Resident

    print(Resident.objects.count())
