"""An endpoint that is down, slow, hangs, fails or answers garbage gets one clear error, exit 3,
within the timeout; credentials come from the environment and are never printed."""

from __future__ import annotations

import time

import pytest

from conftest import assert_clean_error, run_cli
from rightsgraph.serving import free_port


def _query(url: str, *extra: str, env: dict[str, str] | None = None):
    return run_cli("query", "states-practising-forced-repatriation", "--endpoint", url, *extra, env=env)


def test_connection_refused() -> None:
    url = f"http://127.0.0.1:{free_port()}/sparql"  # nothing listens there
    assert_clean_error(_query(url), 3, "cannot connect to", url)


def test_hanging_endpoint_times_out_in_bounded_time(misbehaving_endpoint: str) -> None:
    started = time.monotonic()
    result = _query(misbehaving_endpoint + "/hang", "--timeout", "2")
    assert_clean_error(result, 3, "did not answer within 2 s")
    assert time.monotonic() - started < 30  # bounded, not the test's own timeout


def test_slow_endpoint_within_the_timeout_answers(misbehaving_endpoint: str) -> None:
    result = _query(misbehaving_endpoint + "/slow", "--timeout", "20", "--format", "csv")
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize(("path", "fragment"), [
    ("/500", "internal server error"),
    ("/401", "requires credentials"),
    ("/garbage", "not SPARQL JSON results"),
    ("/truncated", "not SPARQL JSON results"),
])
def test_failing_endpoints(misbehaving_endpoint: str, path: str, fragment: str) -> None:
    assert_clean_error(_query(misbehaving_endpoint + path), 3, fragment)


def test_credentials_are_taken_from_the_environment_and_never_printed(misbehaving_endpoint: str) -> None:
    secret = "s3cret-passw0rd-never-shown"
    env = {"RIGHTSGRAPH_ENDPOINT_USER": "researcher", "RIGHTSGRAPH_ENDPOINT_PASSWORD": secret}
    for path in ("/401", "/500", "/ok"):
        result = _query(misbehaving_endpoint + path, env=env)
        assert secret not in result.stdout + result.stderr


def test_there_is_no_command_line_option_for_a_password() -> None:
    manual = run_cli("query", "--help").stdout
    assert "--password" not in manual and "RIGHTSGRAPH_ENDPOINT_PASSWORD" in manual
