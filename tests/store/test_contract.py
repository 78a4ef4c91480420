"""The SQLite store satisfies the store's contract (checked by mypy too, through the
annotation: `mypy tests/store/test_contract.py` fails if `Store` drifts from it)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from assistant.store import Store
from assistant.store.contract import SessionLockContract, StoreContract

if TYPE_CHECKING:
    from assistant.pgstore.store import PgStore


def _as_contract(store: Store) -> StoreContract:
    return store  # mypy: Store must satisfy StoreContract


def test_sqlite_store_satisfies_the_contract(db_path: Path) -> None:
    with Store.open(db_path) as store:
        contract = _as_contract(store)
        lock: SessionLockContract = contract.lock("0" * 32)
        assert not lock.held
        public = {name for name in dir(StoreContract) if not name.startswith("_")}
        assert public <= set(dir(store))


def _pg_as_contract(store: PgStore) -> StoreContract:
    return store  # mypy: PgStore must satisfy StoreContract too
