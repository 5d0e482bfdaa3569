"""Counts of checks that tests record one by one (the e2e Suite, the contract test), shown in pytest's
summary beside its count of tests: a file's tests can stay few while its checks are many."""

COUNTS = {}  # kind -> [passed, failed]


def record(kind, ok):
    counts = COUNTS.setdefault(kind, [0, 0])
    counts[0 if ok else 1] += 1
