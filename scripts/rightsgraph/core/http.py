"""HTTP to a SPARQL 1.1 endpoint or store: queries, updates and the Graph Store HTTP Protocol,
with one readable EndpointError for every way a store can fail (down, slow, refusing, dripping,
answering garbage or without end).

Credentials come from RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD only. They are
sent only after the store asks for them (HTTP Basic or Digest, as it challenges), only to the
hosts of the URLs given (never across a redirect to another host), and never appear in a
message: URLs with credentials in them are refused, and every URL in a message is redacted.

Each request is bounded as a whole: its timeout covers connecting, sending, the status line, the
headers and the whole body (a watchdog shuts the socket down when the time is up, wherever the
request is blocked), and its answer may not exceed MAX_ANSWER_BYTES.
"""

from __future__ import annotations

import contextlib
import functools
import html
import http.client
import json
import os
import re
import socket
import threading
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field

from rightsgraph import __version__
from rightsgraph.core.errors import EndpointError, InputError

USER_AGENT = f"rightsgraph/{__version__} (+https://w3id.org/rightsgraph/)"
SPARQL_JSON = "application/sparql-results+json"
N_TRIPLES = "application/n-triples"
_READ_BLOCK = 65536
# The largest answer read from an endpoint or store. Stored queries answer in kilobytes and the
# whole graph is tens of megabytes; an answer past this is a runaway query or a broken server,
# and parsing it would take several times its size in memory.
MAX_ANSWER_BYTES = 256 << 20
_ERROR_PAGE_BYTES = 4000


def redact(url: str) -> str:
    """The URL with anything that may be credentials (up to the last @ after the scheme) masked.
    Works on malformed URLs too, which is where it matters most: they end up in error messages."""
    return re.sub(r"(?<=://).*@", "***@", url, count=1, flags=re.DOTALL)


def check_url(url: str, option: str = "--endpoint") -> str:
    """An http(s) URL that urllib can use, without credentials in it (they belong in the
    environment). Refused with the URL redacted, as a usage error (exit 2)."""
    try:
        parts = urllib.parse.urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError for a port that is not a number in 0-65535
    except ValueError as error:
        raise InputError(f"{option} {redact(url)!r}: not a valid URL ({error})") from None
    if "@" in parts.netloc:
        raise InputError(f"{option} {redact(url)!r}: do not put credentials in the URL; set "
                         "RIGHTSGRAPH_ENDPOINT_USER and RIGHTSGRAPH_ENDPOINT_PASSWORD instead")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise InputError(f"{option} {url!r}: expected an http:// or https:// URL")
    if any(ch.isspace() or ord(ch) < 32 for ch in url):
        raise InputError(f"{option} {url!r}: not a valid URL (it contains spaces or control characters)")
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


class _Deadline:
    """Shuts down the sockets of one request when its time is up, wherever the request is
    blocked (connecting, reading a header a byte a second, reading the body); socket timeouts
    alone bound each read, not the request."""

    def __init__(self, seconds: float) -> None:
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> _Deadline:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        with self._lock:
            self._timer.cancel()
            self._sockets.clear()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            if self.expired:
                self._shut(sock)

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            for sock in self._sockets:
                self._shut(sock)

    @staticmethod
    def _shut(sock: socket.socket) -> None:
        # socket.socket.shutdown, not SSLSocket.shutdown, which would unwrap TLS under the reading
        # thread; a closed socket has no descriptor any more, so this cannot reach another one.
        with contextlib.suppress(OSError):
            socket.socket.shutdown(sock, socket.SHUT_RDWR)


@dataclass
class _Watch:
    """The deadline of the request under way, which every connection it opens reports to."""

    deadline: _Deadline | None = None

    def connected(self, sock: socket.socket) -> None:
        if self.deadline is not None:
            self.deadline.watch(sock)


class _Watched:
    """A connection that hands its socket to the watch as soon as it is connected."""

    def __init__(self, *args: object, watch: _Watch, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        self._watch = watch

    def connect(self) -> None:
        super().connect()  # type: ignore[misc]
        self._watch.connected(self.sock)  # type: ignore[attr-defined]


class _WatchedHTTPConnection(_Watched, http.client.HTTPConnection):
    pass


class _WatchedHTTPSConnection(_Watched, http.client.HTTPSConnection):
    pass


class _WatchedHTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPConnection, watch=self._watch), req)


class _WatchedHTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, watch: _Watch) -> None:
        super().__init__()
        self._watch = watch

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(functools.partial(_WatchedHTTPSConnection, watch=self._watch), req,
                            context=self._context)


def _opener(urls: list[str], watch: _Watch) -> urllib.request.OpenerDirector:
    handlers: list[urllib.request.BaseHandler] = [_WatchedHTTPHandler(watch), _WatchedHTTPSHandler(watch)]
    user = os.environ.get("RIGHTSGRAPH_ENDPOINT_USER")
    if user:
        hosts = {_host(url) for url in urls}
        passwords = _EnvironmentPasswords(user, os.environ.get("RIGHTSGRAPH_ENDPOINT_PASSWORD", ""), hosts)
        # Each handler answers only a challenge in its own scheme, so a store may ask for either.
        handlers += [_PreemptiveDigest(passwords), _PreemptiveBasic(passwords)]
    return urllib.request.build_opener(*handlers)


def _excerpt(body: bytes) -> str:
    """The first readable line of an error page, without markup, for the message."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", body[:_ERROR_PAGE_BYTES].decode("utf-8", "replace")))
    lines = [" ".join(line.split()) for line in text.splitlines()]
    useful = [line for line in lines if line and not line.lower().startswith(("<!doctype", "http/1."))]
    return useful[0][:200] if useful else ""


@dataclass
class HttpResponse:
    status: int
    content_type: str
    body: bytes


class AnswerTooLarge(EndpointError):
    """The answer went past the size limit."""


@dataclass
class StoreHttp:
    """One endpoint's or store's HTTP, each request bounded as a whole by `timeout` seconds and
    its answer by `max_bytes`. One request at a time: the deadline under way is shared state."""

    timeout: float
    urls: list[str]
    max_bytes: int = MAX_ANSWER_BYTES
    _watch: _Watch = field(default_factory=_Watch, init=False, repr=False)

    def __post_init__(self) -> None:
        self.opener = _opener(self.urls, self._watch)

    def request(self, method: str, url: str, body: bytes | None = None,
                headers: dict[str, str] | None = None, endpoint: str | None = None) -> HttpResponse:
        """Send one request; raise EndpointError for anything but a 2xx answer within the time
        and size limits. Messages name `endpoint` (default: the URL) without credentials."""
        request = urllib.request.Request(url, data=body, method=method,
                                         headers={"User-Agent": USER_AGENT, **(headers or {})})
        shown = redact(endpoint or url)
        late = EndpointError(f"{shown} did not answer within {self.timeout:g} s")
        deadline = self._watch.deadline = _Deadline(self.timeout)
        try:
            with deadline:
                answer = self._exchange(request, url, shown)
        except (urllib.error.URLError, http.client.HTTPException, OSError, ValueError) as error:
            # Whatever a socket shut down by the deadline made of the request, it was late.
            if deadline.expired:
                raise late from None
            raise self._failure(error, shown) from None
        finally:
            self._watch.deadline = None
        if deadline.expired:  # an answer without a length, cut short by the deadline
            raise late
        return answer

    def _exchange(self, request: urllib.request.Request, url: str, shown: str) -> HttpResponse:
        try:
            with self.opener.open(request, timeout=self.timeout) as response:
                body = bytearray()
                while block := response.read(_READ_BLOCK):
                    body += block
                    if len(body) > self.max_bytes:
                        raise AnswerTooLarge(f"{shown} answered more than {self.max_bytes >> 20} MiB; "
                                             "stopped reading (narrow the query, or load the graph another way)")
                if response.length:  # read(amt) takes a connection closed early for the end
                    raise http.client.IncompleteRead(bytes(body), response.length)
                return HttpResponse(response.status, response.headers.get("Content-Type", ""), bytes(body))
        except urllib.error.HTTPError as error:
            answered = error.geturl()
            if error.code == 401 and _host(answered) != _host(url):
                raise EndpointError(f"{shown} redirected to {redact(answered)}, which requires credentials; "
                                    "they are sent only to the host given (give that URL if you trust it)") from None
            # Read inside the deadline, and no more of an error page than the message shows.
            raise StoreRefused(shown, error.code, _excerpt(error.read(_ERROR_PAGE_BYTES) or b"")) from None

    def _failure(self, error: Exception, shown: str) -> EndpointError:
        if isinstance(error, urllib.error.URLError):  # HTTPError is handled in _exchange
            reason = error.reason
            if isinstance(reason, TimeoutError):
                return EndpointError(f"{shown} did not answer within {self.timeout:g} s")
            why = getattr(reason, "strerror", None) or reason
            return EndpointError(f"cannot connect to {shown}: {why}")
        if isinstance(error, TimeoutError):
            return EndpointError(f"{shown} did not answer within {self.timeout:g} s")
        # http.client.HTTPException: a status line that is not HTTP, a body shorter than its
        # Content-Length; ValueError: a malformed header.
        detail = str(error) or type(error).__name__
        return EndpointError(f"the connection to {shown} failed: {detail[:200]}")

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
            raise EndpointError(f"{redact(url)} answered with something that is not SPARQL JSON results") from None
        return bindings

    def count(self, url: str, query: str) -> int:
        bindings = self.select(url, query)
        try:
            return int(bindings[0]["n"]["value"])
        except (IndexError, KeyError, TypeError, ValueError):
            raise EndpointError(f"{redact(url)} answered a COUNT query without a number") from None

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
        super().__init__(f"{redact(url)} {meaning} (HTTP {status})" + (f": {detail}" if detail else ""))
