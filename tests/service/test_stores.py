"""`--store` chooses the backend (issue 19, item 1): a PostgreSQL address opens the server's
store, anything else the SQLite file. Refused before anything is sent (no server needed): a
password in the address, a host on another machine without `sslmode=verify-full`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from assistant.catalogue.cli import translate
from assistant.pgstore.address import AddressRefused, check_address
from assistant.service.stores import is_server_address, open_any
from assistant.store import Store, StoreUnavailable

SERVER_ADDRESSES = ["postgresql://localhost/sdm", "postgres:///sdm", "service=sdm",
                    " service = sdm ", "service='sdm' dbname=ward"]
FILES = ["sessions.sqlite3", "/tmp/store/sessions.sqlite3", "postgresql.sqlite3",
         "dbname=sdm"]


@pytest.mark.parametrize("address", SERVER_ADDRESSES)
def test_server_addresses_are_told_from_files(address: str) -> None:
    assert is_server_address(address)


@pytest.mark.parametrize("address", [*FILES, None, Path("postgresql:/x")])
def test_anything_else_is_a_file(address: str | Path | None) -> None:
    assert not is_server_address(address)


@pytest.fixture
def no_connection(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """psycopg.connect, failing the test if anything is sent to a server."""
    import psycopg

    calls: list[Any] = []

    def connect(*args: Any, **kwargs: Any) -> None:
        calls.append(args)
        raise AssertionError("connected although the address is refused")

    monkeypatch.setattr(psycopg, "connect", connect)
    return calls


@pytest.mark.parametrize("address", [
    "postgresql://nurse:s3cret-PW@localhost/sdm",
    "postgresql://nurse:s3cret-PW@db.region.dk/sdm?sslmode=verify-full",
    "postgresql:///sdm?password=s3cret-PW",
    "service=sdm password=s3cret-PW",
])
def test_a_password_in_the_address_is_refused(address: str, no_connection: list[Any]) -> None:
    with pytest.raises(AddressRefused) as refused:
        open_any(address)
    message = refused.value.message
    assert "password is not accepted" in message and "~/.pgpass" in message
    assert "s3cret" not in message and "s3cret" not in translate(message, "da")
    assert isinstance(refused.value, StoreUnavailable)  # the faces say it as they say others
    assert no_connection == []


@pytest.mark.parametrize("address", [
    "postgresql://db.region.dk/sdm",
    "postgresql://db.region.dk:5433/sdm?sslmode=require",
    "postgresql://localhost,db.region.dk/sdm",
    "service=sdm host=db.region.dk",
    "service=sdm hostaddr=10.1.2.3 sslmode=prefer",
])
def test_a_remote_host_without_verified_tls_is_refused(address: str,
                                                       no_connection: list[Any]) -> None:
    with pytest.raises(AddressRefused) as refused:
        open_any(address)
    message = refused.value.message
    assert "sslmode=verify-full" in message
    assert ("db.region.dk" in message) or ("10.1.2.3" in message)
    assert "afvises" in translate(message, "da")
    assert no_connection == []


@pytest.mark.parametrize("address", [
    "postgresql://db.region.dk/sdm?sslmode=verify-full",
    "postgresql://localhost/sdm", "postgresql://127.0.0.1:5432/sdm",
    "postgresql:///sdm?host=/run/postgresql", "service=sdm",
    "service=sdm host=/var/run/postgresql",
])
def test_local_servers_and_verified_tls_pass_the_check(address: str) -> None:
    assert "password" not in check_address(address)


def test_a_file_path_still_opens_sqlite(tmp_path: Path) -> None:
    with open_any(tmp_path / "sessions.sqlite3") as store:
        assert isinstance(store, Store)


def test_a_server_address_opens_the_server_store(pg_server: Any) -> None:
    from assistant.pgstore.store import PgStore

    conninfo = pg_server.new_database()
    uri = f"postgresql:///{conninfo.split('dbname=')[1].split()[0]}?host={pg_server.socket_dir}" \
          "&user=postgres"
    try:
        with open_any(uri) as store:
            assert isinstance(store, PgStore) and store.list_sessions() == []
    finally:
        pg_server.drop_database(conninfo)
