"""HTTP to a SPARQL 1.1 store: queries, updates and the Graph Store HTTP Protocol, with one
readable EndpointError for every way a store can fail (down, slow, refusing, answering garbage).

Credentials come from RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD only. They are
sent when the store asks for them (HTTP Basic or Digest, as it challenges), and never appear in a
message: errors name the URL, which may not carry credentials itself.
"""

from __future__ import annotations

import html
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

from . import __version__
from .errors import EndpointError, InputError

USER_AGENT = f"rightsgraph/{__version__} (+https://w3id.org/rightsgraph/)"
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_READ_BLOCK = 65536


def check_url(url: str, option: str = "--endpoint") -> str:
    """An http(s) URL without credentials in it (they belong in the environment)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{option} {url!r}: expected an http:// or https:// URL")
    if parts.username or parts.password:
        raise InputError(f"{option}: do not put credentials in the URL; set RIGHTSGRAPH_ENDPOINT_USER "
                         "and RIGHTSGRAPH_ENDPOINT_PASSWORD instead")
    return url


def _host(uri: str) -> str:
    return urllib.parse.urlsplit(uri if "://" in uri else f"//{uri}").netloc


class _EnvironmentPasswords(urllib.request.HTTPPasswordMgr):
    """The environment's credentials, for the stores' own hosts only (never for a redirect
    elsewhere); remembers hosts that took Basic credentials, so that later requests send them at
    once."""

    def __init__(self, user: str, password: str, hosts: set[str]) -> None:
        super().__init__()
        self.credentials = (user, password)
        self.hosts = hosts
        self.authenticated: set[str] = set()

    def find_user_password(self, realm: str | None, authuri: str) -> tuple[str | None, str | None]:
        return self.credentials if _host(authuri) in self.hosts else (None, None)

    def is_authenticated(self, authuri: str) -> bool:
        return _host(authuri) in self.authenticated


class _PreemptiveBasic(urllib.request.HTTPBasicAuthHandler):
    """Basic authentication sent up front to a host once it has asked for it and accepted it."""

    passwd: _EnvironmentPasswords

    def retry_http_basic_auth(self, host: str, req: urllib.request.Request, realm: str | None):
        response = super().retry_http_basic_auth(host, req, realm)
        if response is not None and 200 <= response.status < 300:
            self.passwd.authenticated.add(_host(req.full_url))
        return response

    def http_response(self, req: urllib.request.Request, response):
        return response  # urllib would count any 2xx as a sign that credentials were accepted

    https_response = http_response


class _PreemptiveDigest(urllib.request.HTTPDigestAuthHandler):
    """Digest authentication that answers the host's last challenge up front.

    Virtuoso answers an unauthenticated request with 401 before reading its body and closes the
    connection, so a large upload fails with a broken pipe before the challenge can be answered.
    The first, small request of a load learns the challenge; the uploads then carry credentials.
    """

    def __init__(self, passwords: urllib.request.HTTPPasswordMgr) -> None:
        super().__init__(passwords)
        self.challenges: dict[str, dict[str, str]] = {}

    def retry_http_digest_auth(self, req: urllib.request.Request, auth: str):
        _, challenge = auth.split(" ", 1)
        fields = urllib.request.parse_keqv_list(filter(None, urllib.request.parse_http_list(challenge)))
        self.challenges[_host(req.full_url)] = fields
        return super().retry_http_digest_auth(req, auth)

    def http_request(self, req: urllib.request.Request) -> urllib.request.Request:
        challenge = self.challenges.get(_host(req.full_url))
        if challenge and not req.has_header("Authorization"):
            answer = self.get_authorization(req, challenge)
            if answer:
                req.add_unredirected_header("Authorization", f"Digest {answer}")
        return req

    https_request = http_request


def _opener(urls: list[str]) -> urllib.request.OpenerDirector:
    user = os.environ.get("RIGHTSGRAPH_ENDPOINT_USER")
    if not user:
        return urllib.request.build_opener()
    hosts = {_host(url) for url in urls}
    passwords = _EnvironmentPasswords(user, os.environ.get("RIGHTSGRAPH_ENDPOINT_PASSWORD", ""), hosts)
    # Each handler answers only a challenge in its own scheme, so a store may ask for either.
    return urllib.request.build_opener(_PreemptiveDigest(passwords), _PreemptiveBasic(passwords))


def _excerpt(body: bytes) -> str:
    """The first readable line of an error page, without markup, for the message."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", body[:4000].decode("utf-8", "replace")))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    useful = [line for line in lines if line and not line.lower().startswith(("<!doctype", "http/1."))]
    return useful[0][:200] if useful else ""


@dataclass
class HttpResponse:
    status: int
    content_type: str
    body: bytes


class StoreHttp:
    """One store's HTTP, with a timeout that bounds each whole request, not just each read."""

    def __init__(self, timeout: float, urls: list[str]) -> None:
        self.timeout = timeout
        self.opener = _opener(urls)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None) -> HttpResponse:
        """Send one request; raise EndpointError for anything but a 2xx answer."""
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"User-Agent": USER_AGENT, **(headers or {})})
        deadline = time.monotonic() + self.timeout
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                chunks = []
                while block := response.read(_READ_BLOCK):
                    chunks.append(block)
                    if time.monotonic() > deadline:
                        raise TimeoutError
                return HttpResponse(response.status, response.headers.get("Content-Type", ""),
                                    b"".join(chunks))
        except urllib.error.HTTPError as error:
            detail = _excerpt(error.read() or b"")
            raise StoreRefused(url, error.code, detail) from None
        except TimeoutError:
            raise EndpointError(f"{url} did not answer within {self.timeout:g} s") from None
        except urllib.error.URLError as error:
            reason = error.reason
            if isinstance(reason, TimeoutError):
                raise EndpointError(f"{url} did not answer within {self.timeout:g} s") from None
            why = getattr(reason, "strerror", None) or reason
            raise EndpointError(f"cannot connect to {url}: {why}") from None
        except (ConnectionError, OSError, ValueError) as error:
            # ValueError: http.client's reaction to a malformed status line or header
            raise EndpointError(f"the connection to {url} failed: {error}") from None

    def select(self, url: str, query: str) -> list[dict[str, dict]]:
        """The bindings of a SELECT query, sent by POST as the SPARQL 1.1 Protocol allows."""
        response = self.request("POST", url, urllib.parse.urlencode({"query": query}).encode(),
                                {"Content-Type": "application/x-www-form-urlencoded", "Accept": SPARQL_JSON})
        try:
            document = json.loads(response.body)
            bindings = document["results"]["bindings"]
            if not isinstance(bindings, list):
                raise TypeError
        except (ValueError, KeyError, TypeError, UnicodeDecodeError):
            raise EndpointError(f"{url} answered with something that is not SPARQL JSON results") from None
        return bindings

    def count(self, url: str, query: str) -> int:
        bindings = self.select(url, query)
        try:
            return int(bindings[0]["n"]["value"])
        except (IndexError, KeyError, TypeError, ValueError):
            raise EndpointError(f"{url} answered a COUNT query without a number") from None

    def update(self, url: str, update: str) -> None:
        self.request("POST", url, urllib.parse.urlencode({"update": update}).encode(),
                     {"Content-Type": "application/x-www-form-urlencoded"})

    def put_graph(self, url: str, graph: str | None, ntriples: bytes, replace: bool) -> None:
        """Graph Store HTTP Protocol: PUT replaces the graph, POST adds to it."""
        target = f"{url}{'&' if '?' in url else '?'}" + (
            urllib.parse.urlencode({"graph": graph}) if graph else "default")
        self.request("PUT" if replace else "POST", target, ntriples,
                     {"Content-Type": f"{N_TRIPLES}; charset=utf-8"})


_MEANINGS = {400: "rejected the request as malformed",
                401: "requires credentials (set RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD)",
                403: "refused the request with these credentials", 404: "has no such service",
                405: "does not allow this method", 413: "refused the request as too large",
                415: "does not accept N-Triples", 500: "failed with an internal server error",
                501: "does not implement this", 503: "is unavailable"}


class StoreRefused(EndpointError):
    """The store answered, with an HTTP error status."""

    def __init__(self, url: str, status: int, detail: str) -> None:
        self.url = url
        self.status = status
        self.detail = detail
        meaning = _MEANINGS.get(status, f"answered HTTP {status}")
        if status == 401 and os.environ.get("RIGHTSGRAPH_ENDPOINT_USER"):
            meaning = "did not accept the credentials in RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD"
        super().__init__(f"{url} {meaning} (HTTP {status})" + (f": {detail}" if detail else ""))
