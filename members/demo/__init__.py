"""Made-up but realistic rosters for demonstrations and benchmarks (``generate_demo``).

Everything here is invented: names are drawn from common Vietnamese surnames, middle
names and given names (and the naming customs of the larger ethnic minorities), village
names from syllables typical of each region, phones from real mobile prefixes with
random digits. No text comes from the seed articles.

Why bulk writes instead of the services: the national scale is about 90,000 units and
750,000 memberships, and a service call per row (its checks, its ``full_clean()``, its
transaction) would take hours. The generator keeps the services' rules by construction
instead: it creates a unit only where no active unit exists (one active bloc per commune,
one active team per village), seats a person at most once per unit, gives every person a
phone that no one else created in the same run and province has (so the identity rule
never takes two demo people for one), and fills the derived columns of every object
with ``fill_derived_fields()`` before the bulk insert. Reads are a fixed handful of
queries per province and writes one ``bulk_create`` per batch, so the number of queries
does not grow with the number of rows (tests/members/test_demo.py asserts it).

Second runs top up (docs/DEMO.md): a commune that already has an active bloc keeps it, a
commune that already has villages gets no new ones, a village that already has an active
team keeps it. Running the same command twice adds nothing the second time.

The package, by what it generates: ``weighted`` (the drawing tables), ``names`` (people's
names and phones), ``regions`` (who lives in each province), ``villages`` (village
names), ``positions`` (who sits in a bloc or a team, founding dates), ``scope`` (which
provinces and communes a run fills), ``rosters`` (the generator and its bulk writes) and
``history`` (a legacy province carried across the 2025 reform by ``members.carry_over``).
"""

from members.demo.names import person_name
from members.demo.rosters import BATCH_SIZE, DEMO_REASON, DemoCounts, rosters_generate
from members.demo.scope import (
    DEFAULT_SEED,
    ERROR_NO_COMMUNES,
    ERROR_PROVINCE_NATIONAL,
    ERROR_SCALE,
    SCALES,
    DemoScope,
    demo_scope,
)

__all__ = [
    "BATCH_SIZE", "DEFAULT_SEED", "DEMO_REASON", "ERROR_NO_COMMUNES", "ERROR_PROVINCE_NATIONAL",
    "ERROR_SCALE", "SCALES", "DemoCounts", "DemoScope", "demo_scope", "person_name",
    "rosters_generate",
]  # fmt: skip
