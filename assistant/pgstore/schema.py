"""The PostgreSQL store's migration steps; their order and numbers are in the one list of
both backends, assistant/store/migrations.py (`sdm_schema` counts those run).

The same tables as the SQLite store (assistant/store/schema.py), in PostgreSQL's types:
times are `timestamptz`, the due date a `date`. Ids are `COLLATE "C"` so they sort as in
SQLite (byte order). Append-only is kept by triggers, as there. Version 5 adds what only a
shared server needs: roles, units, row-level security and the access log.

Migrations run in one transaction, under a transaction-level advisory lock, so two clients
starting at once do not both migrate, and a crash half-way leaves the previous version.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, Protocol

#: The advisory lock (one 64-bit key) taken while migrating: 'sdm-migr' as bytes.
MIGRATION_LOCK = int.from_bytes(b"sdm-migr", "big", signed=True)


class Executor(Protocol):
    """What a migration gets: the write transaction's `execute`."""

    def execute(self, sql: str, params: Sequence[object] = ()) -> Any: ...


Migration = Callable[[Executor], None]

_APPEND_ONLY = """
CREATE FUNCTION sdm_refuse_update() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are append-only', TG_TABLE_NAME;
END $$
"""


def _v1_initial(tx: Executor) -> None:
    """Sessions, their append-only events, and plan revisions."""
    statements = (
        _APPEND_ONLY,
        """
        CREATE TABLE sessions (
            id            text COLLATE "C" PRIMARY KEY CHECK (id ~ '^[0-9a-f]{32}$'),
            guide_id      text NOT NULL,
            guide_version text NOT NULL,
            guide_hash    text NOT NULL,
            label         text NOT NULL,
            present       text NOT NULL DEFAULT '[]',
            created       timestamptz NOT NULL,
            updated       timestamptz NOT NULL,
            status        text NOT NULL DEFAULT 'in_progress'
                          CHECK (status IN ('in_progress', 'finished', 'plan_approved'))
        )
        """,
        "CREATE INDEX sessions_by_updated ON sessions (updated)",
        """
        CREATE TABLE events (
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            seq        integer NOT NULL CHECK (seq >= 1),
            type       text NOT NULL,
            payload    text NOT NULL,
            at         timestamptz NOT NULL,
            PRIMARY KEY (session_id, seq)
        )
        """,
        """
        CREATE TRIGGER events_are_append_only BEFORE UPDATE ON events
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
        """
        CREATE TABLE plan_revisions (
            session_id        text COLLATE "C" NOT NULL
                              REFERENCES sessions (id) ON DELETE CASCADE,
            revision          integer NOT NULL CHECK (revision >= 1),
            created           timestamptz NOT NULL,
            kind              text NOT NULL CHECK (kind IN ('approved', 'exported')),
            draft             text NOT NULL,
            next_revision_due date,
            responsible       text,
            PRIMARY KEY (session_id, revision)
        )
        """,
        "CREATE INDEX plan_revisions_by_due ON plan_revisions (next_revision_due)",
        """
        CREATE TRIGGER plan_revisions_are_append_only BEFORE UPDATE ON plan_revisions
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
    )
    for sql in statements:
        tx.execute(sql)


def _v4_session_documents(tx: Executor) -> None:
    """A copy of each guide and plan template a session was made with (as SQLite's v4)."""
    statements = (
        """
        CREATE TABLE session_documents (
            session_id text COLLATE "C" NOT NULL REFERENCES sessions (id) ON DELETE CASCADE,
            position   integer NOT NULL CHECK (position >= 1),
            kind       text NOT NULL CHECK (kind IN ('guide', 'plan_template')),
            doc_id     text NOT NULL,
            hash       text NOT NULL,
            text       text NOT NULL,
            added      timestamptz NOT NULL,
            PRIMARY KEY (session_id, position)
        )
        """,
        """
        CREATE TRIGGER session_documents_are_kept BEFORE UPDATE ON session_documents
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_update()
        """,
    )
    for sql in statements:
        tx.execute(sql)


#: The group role every clinician's own login role is granted (`GRANT sdm_user TO alice`).
USER_ROLE = "sdm_user"
#: The group role of the data controller's staff: reads the access log (`sdm audit`).
AUDITOR_ROLE = "sdm_auditor"
#: The unit a session gets when the store's operator (who owns the tables) makes one and
#: belongs to no unit: a single-user server, or the tests of the store itself.
OPERATOR_UNIT = "default"
#: What a row of the access log says was done.
ACCESS_ACTIONS = ("open", "show", "export", "read", "copy", "check", "delete", "purge")

_ROLES = f"""
DO $$ BEGIN
    -- Roles belong to the whole server, not one database: another store on it may have made
    -- them already (or be making them just now).
    BEGIN CREATE ROLE {USER_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END;
    BEGIN CREATE ROLE {AUDITOR_ROLE} NOLOGIN; EXCEPTION WHEN duplicate_object THEN NULL; END;
END $$
"""

_IS_OPERATOR = """
CREATE FUNCTION sdm_is_operator() RETURNS boolean LANGUAGE sql STABLE AS $$
    SELECT pg_has_role(current_user, (SELECT relowner FROM pg_class
                                      WHERE oid = 'sessions'::regclass), 'USAGE')
$$
"""

# The unit of a new session: the one chosen for the connection (SDM_UNIT sets `sdm.unit`),
# if the role belongs to it; else the role's only unit. SQLSTATE 42501 (insufficient
# privilege) when the role belongs to none, or to several and chose none.
_MY_UNIT = f"""
CREATE FUNCTION sdm_my_unit() RETURNS text LANGUAGE plpgsql STABLE AS $$
DECLARE
    chosen text := nullif(current_setting('sdm.unit', true), '');
    found text;
    n integer;
BEGIN
    IF chosen IS NOT NULL THEN
        IF sdm_is_operator() OR EXISTS (SELECT 1 FROM unit_members
                                       WHERE role = current_user AND unit = chosen) THEN
            RETURN chosen;
        END IF;
        RAISE EXCEPTION 'role % is not a member of unit %', current_user, chosen
            USING ERRCODE = '42501';
    END IF;
    SELECT count(*), min(unit) INTO n, found FROM unit_members WHERE role = current_user;
    IF n = 1 THEN
        RETURN found;
    ELSIF n = 0 AND sdm_is_operator() THEN
        RETURN '{OPERATOR_UNIT}';
    ELSIF n = 0 THEN
        RAISE EXCEPTION 'role % belongs to no unit', current_user USING ERRCODE = '42501';
    END IF;
    RAISE EXCEPTION 'role % belongs to % units: choose one (SDM_UNIT)', current_user, n
        USING ERRCODE = '42501';
END $$
"""

# Who wrote a row (or made a session) is the server's to say, not the client's: triggers.
_STAMP_CREATOR = """
CREATE FUNCTION sdm_stamp_creator() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.created_by := current_user;
    RETURN NEW;
END $$
"""

_STAMP = """
CREATE FUNCTION sdm_stamp_writer() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.written_by := current_user;
    RETURN NEW;
END $$
"""

_STAMP_ACCESS = """
CREATE FUNCTION sdm_stamp_access() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    NEW.role := current_user;
    NEW.at := clock_timestamp();
    NEW.client := left(coalesce(current_setting('application_name', true), ''), 63);
    RETURN NEW;
END $$
"""

_REFUSE_CHANGE = """
CREATE FUNCTION sdm_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '% rows are never changed or deleted', TG_TABLE_NAME
        USING ERRCODE = '42501';
END $$
"""

# One round trip per answer: the session's row locked (numbers are taken in turn), the
# next number checked, the event stored, the session touched. A retry of an event stored
# already (the same number, the same content) stores nothing (see PgSessions.append).
# SQLSTATE SD002: no such session (or not one of the role's units); SD001: other content
# at that number, or a number that is not the next.
_APPEND = """
CREATE FUNCTION sdm_append(p_session text, p_seq integer, p_type text, p_payload text,
                           p_at timestamptz, p_now timestamptz) RETURNS integer
LANGUAGE plpgsql AS $$
DECLARE
    last integer;
    stored text;
BEGIN
    PERFORM 1 FROM sessions WHERE id = p_session FOR UPDATE;
    IF NOT FOUND THEN
        RAISE EXCEPTION 'no such session' USING ERRCODE = 'SD002';
    END IF;
    SELECT coalesce(max(seq), 0) INTO last FROM events WHERE session_id = p_session;
    IF p_seq IS NOT NULL AND p_seq <= last THEN
        SELECT payload INTO stored FROM events WHERE session_id = p_session AND seq = p_seq;
        IF stored = p_payload THEN
            RETURN p_seq;
        END IF;
        RAISE EXCEPTION 'another event at that number' USING ERRCODE = 'SD001';
    ELSIF p_seq IS NOT NULL AND p_seq <> last + 1 THEN
        RAISE EXCEPTION 'not the next number' USING ERRCODE = 'SD001';
    END IF;
    INSERT INTO events (session_id, seq, type, payload, at)
        VALUES (p_session, last + 1, p_type, p_payload, p_at);
    UPDATE sessions SET updated = p_now WHERE id = p_session;
    RETURN last + 1;
END $$
"""


def _v5_who_did_what(tx: Executor) -> None:
    """Roles, units and the access log (issue 19, item 3; sundhedsloven § 42 a).

    * Each clinician connects as their own role, a member of `sdm_user`; the server stamps
      every event and plan revision with the role that wrote it.
    * A session belongs to a unit; a role sees only the sessions of its units
      (`unit_members`), by row-level security on every table that holds content.
    * `access_log`: one row per read of a session's content, and per deletion (never the
      content), stamped by the server; the app's roles may only add rows, and nobody may
      change or delete one (triggers, for the owner too); `sdm_auditor` reads it.

    The tables' owner (the operator who runs `sdm store migrate`) is not bound by the
    row-level security: `sdm store check` and `sdm audit` run as the operator or an auditor.
    """
    statements = (
        _ROLES,
        """
        CREATE TABLE unit_members (
            role name NOT NULL,
            unit text NOT NULL CHECK (unit <> ''),
            PRIMARY KEY (role, unit)
        )
        """,
        _IS_OPERATOR,
        _MY_UNIT,
        _STAMP_CREATOR,
        _STAMP,
        _STAMP_ACCESS,
        _REFUSE_CHANGE,
        f"ALTER TABLE sessions ADD COLUMN unit text NOT NULL DEFAULT '{OPERATOR_UNIT}'",
        "ALTER TABLE sessions ALTER COLUMN unit SET DEFAULT sdm_my_unit()",
        "ALTER TABLE sessions ADD COLUMN created_by name NOT NULL DEFAULT current_user",
        "CREATE INDEX sessions_by_unit ON sessions (unit)",
        "ALTER TABLE events ADD COLUMN written_by name NOT NULL DEFAULT current_user",
        "ALTER TABLE plan_revisions ADD COLUMN written_by name NOT NULL DEFAULT current_user",
        """
        CREATE TRIGGER sessions_created_by BEFORE INSERT ON sessions
        FOR EACH ROW EXECUTE FUNCTION sdm_stamp_creator()
        """,
        """
        CREATE TRIGGER events_written_by BEFORE INSERT ON events
        FOR EACH ROW EXECUTE FUNCTION sdm_stamp_writer()
        """,
        """
        CREATE TRIGGER plan_revisions_written_by BEFORE INSERT ON plan_revisions
        FOR EACH ROW EXECUTE FUNCTION sdm_stamp_writer()
        """,
        f"""
        CREATE TABLE access_log (
            id         bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
            at         timestamptz NOT NULL DEFAULT clock_timestamp(),
            role       name NOT NULL DEFAULT current_user,
            client     text NOT NULL DEFAULT '',
            session_id text COLLATE "C" NOT NULL CHECK (session_id ~ '^[0-9a-f]{{32}}$'),
            action     text NOT NULL CHECK (action IN {ACCESS_ACTIONS!r})
        )
        """,
        "CREATE INDEX access_log_by_session ON access_log (session_id, at)",
        "CREATE INDEX access_log_by_role ON access_log (role, at)",
        """
        CREATE TRIGGER access_log_stamped BEFORE INSERT ON access_log
        FOR EACH ROW EXECUTE FUNCTION sdm_stamp_access()
        """,
        """
        CREATE TRIGGER access_log_is_append_only BEFORE UPDATE OR DELETE ON access_log
        FOR EACH ROW EXECUTE FUNCTION sdm_refuse_change()
        """,
        """
        CREATE TRIGGER access_log_is_kept BEFORE TRUNCATE ON access_log
        FOR EACH STATEMENT EXECUTE FUNCTION sdm_refuse_change()
        """,
        _APPEND,
        # Row-level security: a role of the app sees its units' sessions, and the content
        # of those only (the sub-select on sessions is itself filtered).
        "ALTER TABLE sessions ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE events ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE plan_revisions ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE session_documents ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE unit_members ENABLE ROW LEVEL SECURITY",
        f"""
        CREATE POLICY sessions_of_my_units ON sessions TO {USER_ROLE}
        USING (unit IN (SELECT m.unit FROM unit_members m WHERE m.role = current_user))
        """,
        *(f"""
          CREATE POLICY {table}_of_my_sessions ON {table} TO {USER_ROLE}
          USING (session_id IN (SELECT s.id FROM sessions s))
          """ for table in ("events", "plan_revisions", "session_documents")),
        f"""
        CREATE POLICY my_units ON unit_members TO {USER_ROLE} USING (role = current_user)
        """,
        # Grants: content is added, never changed; a session's own fields may change (not
        # its unit or who made it); deleting a session takes its rows with it (retention).
        "REVOKE ALL ON sessions, events, plan_revisions, session_documents, unit_members,"
        " access_log, sdm_schema FROM PUBLIC",
        f"GRANT SELECT, INSERT, DELETE ON sessions TO {USER_ROLE}",
        f"GRANT UPDATE (label, present, status, updated, guide_id, guide_version, guide_hash)"
        f" ON sessions TO {USER_ROLE}",
        f"GRANT SELECT, INSERT ON events, plan_revisions, session_documents TO {USER_ROLE}",
        f"GRANT SELECT ON unit_members, sdm_schema TO {USER_ROLE}",
        f"GRANT INSERT ON access_log TO {USER_ROLE}",
        f"GRANT SELECT ON access_log, sdm_schema TO {AUDITOR_ROLE}",
    )
    for sql in statements:
        tx.execute(sql)


#: This backend's step of each schema version, by number (the list: assistant/store/
#: migrations.py; versions 2 and 3 are the SQLite file's own).
STEPS: dict[int, Migration] = {1: _v1_initial, 4: _v4_session_documents, 5: _v5_who_did_what}
