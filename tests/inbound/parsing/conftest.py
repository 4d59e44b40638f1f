"""Collects how the parser scored on each corpus, and prints the accuracy at the end."""

from collections import Counter, defaultdict

import pytest

SCORES: dict[str, Counter] = defaultdict(Counter)


@pytest.fixture
def record_score():
    def record(corpus: str, verdict: str):
        SCORES[corpus][verdict] += 1

    return record


def pytest_terminal_summary(terminalreporter):
    if not SCORES:
        return
    terminalreporter.section("reply extraction accuracy")
    for corpus, counts in sorted(SCORES.items()):
        total = sum(counts.values())
        exact = counts["exact"]
        detail = ", ".join(f"{name} {count}" for name, count in sorted(counts.items()))
        terminalreporter.write_line(
            f"{corpus}: {exact}/{total} exactly right ({100 * exact / total:.1f}%) — {detail}"
        )
