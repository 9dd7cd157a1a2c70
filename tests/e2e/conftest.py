"""conftest.py: the running stack every end-to-end test gets, once behind nginx and once behind Apache."""

import pytest

from hearth_stack import Stack


@pytest.fixture(scope="module", params=["nginx", "apache"])
def stack(request):
    """One bin/hearth-run per web server per test module: starting it costs a second or two,
    so tests share it and keep their data apart with unique emails. Teardown stops it with
    SIGTERM and fails if the launcher left anything running."""
    s = Stack(request.param).start()
    yield s
    s.stop()
