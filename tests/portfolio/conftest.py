"""Fixtures the portfolio tests share with others: the consultant's git repository of the history tests, and
the Chromium of the report's browser tests (a skip with the install hint, a failure where CI requires it)."""

from tests.history.conftest import consultant  # noqa: F401 (a fixture)
from tests.report.test_chromium import chromium  # noqa: F401 (a fixture)
