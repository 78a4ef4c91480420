"""Which `--store` values name a PostgreSQL server, and which of those are refused.

A server is named by a URI (`postgresql://host/db?sslmode=verify-full`) or a libpq
keyword string with a service (`service=sdm`, read from the user's `pg_service.conf`). Two
things are refused before anything is sent:

* a password in the address: it would sit in the shell history and in the process list
  for every user of the machine to read. libpq's password file (`~/.pgpass`), a service
  file or a client certificate keep it out of sight.
* a host that is not this machine without `sslmode=verify-full`: health data crosses the
  network only encrypted, to a server whose certificate names it.

Parsing needs no psycopg (the refusals are said even where it is not installed).
"""

from __future__ import annotations

import re
import shlex
from urllib.parse import parse_qsl, unquote, urlsplit

from assistant.store.errors import StoreUnavailable

__all__ = ["AddressRefused", "check_address", "is_server_address", "parse_address"]

_SCHEMES = ("postgresql://", "postgres://")
_KEYWORD = re.compile(r"^\s*[a-z_]+\s*=")
#: Hosts that are this machine: a Unix socket folder, or loopback.
_LOCAL_HOSTS = frozenset({"", "localhost", "127.0.0.1", "::1", "[::1]"})


class AddressRefused(StoreUnavailable):
    """The address of a PostgreSQL store is refused before connecting (a password in it, or
    a remote host without verified TLS)."""

    code = "address_refused"


def is_server_address(text: str | object) -> bool:
    """True if `text` names a PostgreSQL server rather than a SQLite file."""
    if not isinstance(text, str):
        return False
    return text.startswith(_SCHEMES) or (
        _KEYWORD.match(text) is not None and "service" in parse_keywords(text))


def parse_keywords(text: str) -> dict[str, str]:
    """A libpq `key=value key='v a l'` string as a dict (an unparsable one gives {})."""
    out: dict[str, str] = {}
    try:
        words = shlex.split(re.sub(r"\s*=\s*", "=", text))  # libpq allows 'k = v'
    except ValueError:
        return {}
    for word in words:
        key, sep, value = word.partition("=")
        if not sep:
            return {}
        out[key.strip()] = value
    return out


def parse_address(text: str) -> dict[str, str]:
    """The connection parameters of a URI or keyword string (never including the text of a
    password in any message)."""
    if not text.startswith(_SCHEMES):
        return parse_keywords(text)
    parts = urlsplit(text)
    params: dict[str, str] = {}
    if parts.username:
        params["user"] = unquote(parts.username)
    if parts.password is not None:
        params["password"] = "*"
    netloc_host = parts.netloc.rpartition("@")[2]
    if netloc_host:
        params["host"] = ",".join(h.rsplit(":", 1)[0] if not h.startswith("[") else
                                  h.split("]")[0] + "]" for h in netloc_host.split(","))
    if parts.path.strip("/"):
        params["dbname"] = unquote(parts.path.strip("/"))
    params.update(parse_qsl(parts.query))
    return params


def _remote_hosts(params: dict[str, str]) -> list[str]:
    hosts = [h.strip() for h in params.get("host", "").split(",")]
    hostaddrs = [h.strip() for h in params.get("hostaddr", "").split(",")]
    return [h for h in (*hosts, *hostaddrs)
            if h.lower() not in _LOCAL_HOSTS and not h.startswith("/")]


def check_address(text: str) -> dict[str, str]:
    """The parameters of a server address, or `AddressRefused` saying why it is not used.

    A service's own file may name a remote host: libpq reads it only when connecting, so
    such a service must say `sslmode=verify-full` itself (the server's operator sets it up).
    """
    params = parse_address(text)
    if "password" in params:
        raise AddressRefused(
            "a password is not accepted on the command line or in SDM_STORE: put it in "
            "libpq's password file (~/.pgpass) or a service file (service=NAME), or use a "
            "client certificate")
    remote = _remote_hosts(params)
    if remote and params.get("sslmode") != "verify-full":
        raise AddressRefused(
            f"the session store on {remote[0]} is refused: a server on another machine is "
            "only used with sslmode=verify-full (encrypted, and its certificate checked)")
    return params
