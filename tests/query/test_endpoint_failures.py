"""An endpoint that is down, slow, hangs, fails or answers garbage gets one clear error, exit 3,
within the timeout; credentials come from the environment and are never printed."""

from __future__ import annotations

import base64
import json
import resource
import signal
import subprocess
import sys
import time
import urllib.request
import uuid

import pytest

from conftest import ROOT, assert_clean_error, run_cli
from rightsgraph.core.http import MAX_ANSWER_BYTES
from rightsgraph.serve.server import free_port

pytestmark = pytest.mark.slow  # endpoints that hang, drip and time out, on loopback


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


def _start_query(url: str, *extra: str) -> subprocess.Popen[str]:
    return subprocess.Popen([sys.executable, "-m", "rightsgraph.cli", "query", "states-practising-forced-repatriation",
                             "--endpoint", url, *extra],
                            cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _log(base: str, tag: str) -> list[dict[str, str | None]]:
    """What the misbehaving endpoint received for requests carrying `tag` in their URL."""
    with urllib.request.urlopen(base + "/log", timeout=10) as response:
        return [entry for entry in json.load(response) if f"tag={tag}" in entry["path"]]


def test_a_dripping_answer_is_cut_at_the_timeout(misbehaving_endpoint: str) -> None:
    started = time.monotonic()
    result = _query(misbehaving_endpoint + "/drip", "--timeout", "5")
    elapsed = time.monotonic() - started
    assert_clean_error(result, 3, "did not answer within 5 s")
    assert elapsed < 15, elapsed  # the answer's 5 s, plus the command's start-up


def test_an_endless_answer_is_cut_at_the_size_limit_without_growing_memory(misbehaving_endpoint: str) -> None:
    process = _start_query(misbehaving_endpoint + "/endless", "--timeout", "120")
    _, err = process.communicate(timeout=180)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    assert process.returncode == 3 and "Traceback" not in err, err
    assert f"more than {MAX_ANSWER_BYTES >> 20} MiB" in err, err
    # The limit, the interpreter and the graph code, well short of the 2 GiB the server sends.
    assert peak_kib < 2 * MAX_ANSWER_BYTES // 1024 + 400_000, peak_kib


@pytest.mark.parametrize(("path", "fragment"), [
    ("/short", "the connection to"),      # Content-Length 1000, 40 bytes, closed
    ("/bad-status", "the connection to"),  # not an HTTP status line
])
def test_broken_http_is_one_line(misbehaving_endpoint: str, path: str, fragment: str) -> None:
    result = _query(misbehaving_endpoint + path)
    assert_clean_error(result, 3, fragment, misbehaving_endpoint + path)
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr


@pytest.mark.parametrize("url", ["http://[::1/sparql", "http://127.0.0.1:99999/sparql", "ftp://example.org/sparql",
                                 "http:///sparql"])
def test_a_malformed_endpoint_url_is_a_usage_error(url: str) -> None:
    assert_clean_error(_query(url), 2, "--endpoint")


def test_credentials_in_the_url_are_refused_and_not_echoed(misbehaving_endpoint: str) -> None:
    secret = "s3cret-in-the-url"
    for url in (misbehaving_endpoint.replace("://", f"://researcher:{secret}@") + "/500",
                f"http://researcher:{secret}@[::1/sparql", f"ftp://researcher:{secret}@example.org/"):
        result = _query(url)
        assert_clean_error(result, 2, "--endpoint")
        assert secret not in result.stdout + result.stderr


def test_credentials_wait_for_a_challenge(misbehaving_endpoint: str) -> None:
    env = {"RIGHTSGRAPH_ENDPOINT_USER": "researcher", "RIGHTSGRAPH_ENDPOINT_PASSWORD": "s3cret"}
    tag = uuid.uuid4().hex
    result = _query(f"{misbehaving_endpoint}/ok?tag={tag}", env=env)
    assert result.returncode == 0, result.stderr
    assert [entry["authorization"] for entry in _log(misbehaving_endpoint, tag)] == [None]
    # An endpoint that asks gets them, and answers.
    tag = uuid.uuid4().hex
    result = _query(f"{misbehaving_endpoint}/basic?tag={tag}", "--format", "csv", env=env)
    assert result.returncode == 0, result.stderr
    sent = [entry["authorization"] for entry in _log(misbehaving_endpoint, tag)]
    assert sent[0] is None and sent[-1] == "Basic " + base64.b64encode(b"researcher:s3cret").decode()


def test_credentials_do_not_follow_a_redirect_to_another_host(misbehaving_endpoint: str) -> None:
    env = {"RIGHTSGRAPH_ENDPOINT_USER": "researcher", "RIGHTSGRAPH_ENDPOINT_PASSWORD": "s3cret"}
    tag = uuid.uuid4().hex
    result = _query(f"{misbehaving_endpoint}/redirect?tag={tag}", env=env)
    assert_clean_error(result, 3, "redirected to http://localhost:", "requires credentials")
    log = _log(misbehaving_endpoint, tag)
    assert [entry["path"].split("?")[0] for entry in log][-1] == "/record"  # the redirect was followed
    assert all(entry["authorization"] is None for entry in log), log


def test_ctrl_c_during_a_remote_query_exits_130_at_once(misbehaving_endpoint: str) -> None:
    process = _start_query(misbehaving_endpoint + "/hang", "--timeout", "600")
    time.sleep(4)  # started, and waiting for the answer
    interrupted = time.monotonic()
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130 and "Traceback" not in err, err
    assert time.monotonic() - interrupted < 3
