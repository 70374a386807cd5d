"""The matrix's cast fixture and its cell counter (printed at the end of the run)."""

from collections import Counter

import pytest
from django.core.cache import cache

from tests.matrix.cast import build_cast

CELLS: Counter = Counter()


@pytest.fixture
def cast(alice, bob, carol, dan, erin, hilda, mallory, org):
    cache.clear()  # throttling counts live in the cache; every row starts from zero
    users = {"alice": alice, "bob": bob, "carol": carol, "dan": dan, "erin": erin,
             "hilda": hilda, "mallory": mallory}  # fmt: skip
    return build_cast(users, org)


def pytest_terminal_summary(terminalreporter):
    if not CELLS:
        return
    terminalreporter.write_line(
        "authorization matrix: "
        + ", ".join(f"{count} {kind}" for kind, count in sorted(CELLS.items()))
    )
