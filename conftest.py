import os

from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

# Settings every test runs with, and the fixtures shared by the test modules (team, other_team, ...).
pytest_plugins = ["gongkai.testing.fixtures"]

# Hypothesis profiles. CI must not fail by chance: the "ci" profile derandomises every property
# test (the same examples on every run) and keeps no example database between runs. Local runs
# ("dev", the default outside CI) draw fresh, and more, examples each time to find new failures.
# Choose with HYPOTHESIS_PROFILE; CI=true (set by the CI runner and .ci/run) selects "ci".
hypothesis_settings.register_profile(
    "ci",
    derandomize=True,
    database=None,
    deadline=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)
hypothesis_settings.register_profile("dev", max_examples=200, deadline=None, print_blob=True)
hypothesis_settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").lower() in {"1", "true"} else "dev")
)

# Playwright's sync API runs an event loop in the test thread; Django's async
# guard would otherwise refuse the ORM calls that live_server tests make.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
