"""The session store on a PostgreSQL server (issue 19): a department's shared store.

    store = PgStore.open("service=sdm")          # or "postgresql://sdm.region.dk/sdm?..."
    with store.lock(row.id):                     # one writer per session (SessionBusy if not)
        seq = store.append(row.id, event)        # committed when this returns

The same contract as the SQLite store (`assistant.store.contract.StoreContract`), made of
the same parts: `db` (the connection, migrations, the two doors to SQL), `sessions`,
`revisions`, `retention` and the per-session `lock` (`pg_try_advisory_lock`, released when
the connection ends). It uses the store's own rows, errors and checks (`assistant.store`),
and psycopg 3 (the `postgres` extra: `pip install 'sdm-assistant[postgres]'`).

Encryption at rest is the server's (disk encryption, its operator's duty); the program seals
nothing itself here, so `encrypted` is False. Like the SQLite store, nothing here writes a
label, an answer, a note or a plan draft to a log or an exception message.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from assistant.pgstore.address import is_server_address as is_server_address
    from assistant.pgstore.store import PgStore as PgStore

__all__ = ["PgStore", "is_server_address"]


def __getattr__(name: str) -> Any:
    # Lazy: `is_server_address` needs no psycopg, so choosing a backend stays cheap.
    if name == "PgStore":
        from assistant.pgstore.store import PgStore
        return PgStore
    if name == "is_server_address":
        from assistant.pgstore.address import is_server_address
        return is_server_address
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
