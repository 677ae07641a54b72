"""The consultant's git repository of the history tests, for the pages that show its trends."""

from tests.history.conftest import consultant  # noqa: F401 (a fixture)
