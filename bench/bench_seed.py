"""How fast seed_demo fills the register.

    DATABASE_URL=postgres://… python -m bench.bench_seed --residents 100000

Prints residents per second for the whole generator (people, housing, COPY of every table,
the set-based links) and, in the same run, for making the people alone in Python (names, ID
numbers, pinyin, blind indexes, encryption), so the database's share shows. Rolled back.
"""

from __future__ import annotations

import argparse
import random

from bench._django import BENCH_ID_CODES, machine, rolled_back, setup, timed


def check_deferred_constraints() -> None:
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--residents", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    options = parser.parse_args()
    setup()

    from core.imports.demo import RegisterWriter, build_regions, seed_register, tree_shape
    from core.registry.identity import encrypt_columns, identity_columns, phone_columns

    n = options.residents
    times: dict[str, float] = {}
    print(f"{n:,} residents; {machine()}")
    with rolled_back():
        city, regions = build_regions(random.Random(options.seed), tree_shape(n), city_name="芜湖市（基准）")
        with timed(times, "seed"):
            counts = seed_register(city, residents=n, seed=options.seed, id_codes=BENCH_ID_CODES)
            # The foreign keys are checked at commit; run those checks now, inside the timing.
            check_deferred_constraints()
    print(f"  {regions['grids']} grids, {counts}")

    with timed(times, "python"):
        people = RegisterWriter(options.seed, BENCH_ID_CODES).people
        made = 0
        while made < n:
            for person in people.household("340202").members:
                encrypt_columns(
                    {**identity_columns("id_card", person.id_number), **phone_columns(person.mobile)}
                )
                made += 1

    print(f"  seed_demo register           {times['seed']:8.1f} s  {n / times['seed']:10,.0f} residents/s")
    python_rate = made / times["python"]
    print(f"  people alone, in Python      {times['python']:8.1f} s  {python_rate:10,.0f} residents/s")
    print(f"  Python share of the seed     {100 * times['python'] / times['seed']:5.0f}%")


if __name__ == "__main__":
    main()
