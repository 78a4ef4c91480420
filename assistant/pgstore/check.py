"""`sdm store check` on a department server: is the store whole, and are its guards on?

Looks at: the schema version; who is checking (the operator, who owns the tables, sees every
unit; any other role only its own, which it is told); row-level security on every table
that holds content, with its policies; the append-only triggers, the access log's among
them; what the app's roles may do (add to the access log but not read, change or delete
it; add content but not change or delete it; not move a session to another unit); every
session's events numbered 1..n and readable (a row in the access log says the check read
them). Findings name numbers, ids, tables and roles, never content.
"""

from __future__ import annotations

from assistant.pgstore.db import PgDatabase
from assistant.pgstore.schema import AUDITOR_ROLE, USER_ROLE
from assistant.pgstore.sessions import PgSessions
from assistant.store.check import GAPS_SQL, event_findings
from assistant.store.migrations import SCHEMA_VERSION
from assistant.store.models import CheckFinding

#: Tables whose rows are health data (or say who may see them): row-level security on each.
PROTECTED = ("sessions", "events", "plan_revisions", "session_documents", "unit_members")
#: Policies the schema makes (version 5).
POLICIES = ("sessions_of_my_units", "events_of_my_sessions", "plan_revisions_of_my_sessions",
            "session_documents_of_my_sessions", "my_units")
#: Triggers that keep records as written.
TRIGGERS = ("events_are_append_only", "plan_revisions_are_append_only",
            "session_documents_are_kept", "access_log_is_append_only", "access_log_is_kept",
            "access_log_stamped", "sessions_created_by", "events_written_by",
            "plan_revisions_written_by")
#: (role, table, privilege, allowed): what `sdm store check` expects of the grants.
GRANTS = (
    (USER_ROLE, "access_log", "INSERT", True),
    *((USER_ROLE, "access_log", p, False) for p in ("SELECT", "UPDATE", "DELETE", "TRUNCATE")),
    *((USER_ROLE, t, p, False) for t in ("events", "plan_revisions", "session_documents")
      for p in ("UPDATE", "DELETE", "TRUNCATE")),
    (AUDITOR_ROLE, "access_log", "SELECT", True),
    *((AUDITOR_ROLE, "access_log", p, False) for p in ("UPDATE", "DELETE", "TRUNCATE")),
    *((AUDITOR_ROLE, t, "SELECT", False) for t in ("events", "plan_revisions",
                                                   "session_documents")),
)


def check_server(db: PgDatabase, sessions: PgSessions) -> list[CheckFinding]:
    """The findings of `sdm store check` for the store on `db`."""
    version = int(db.read("SELECT coalesce(max(version), 0) AS v FROM sdm_schema")[0]["v"])
    findings = [CheckFinding("schema", version == SCHEMA_VERSION,
                             f"version {version}, this program's {SCHEMA_VERSION}")]
    if version < 5:
        return findings  # the rest came with version 5: `sdm store migrate` first
    operator = bool(db.read("SELECT sdm_is_operator() AS yes")[0]["yes"])
    findings.append(CheckFinding(
        "operator", operator,
        "the tables' owner: every unit is seen" if operator else
        "not the tables' owner: only this role's units are seen; run as the operator"))
    secured = {str(r["relname"]): bool(r["on"]) for r in db.read(
        "SELECT relname, relrowsecurity AS on FROM pg_class WHERE relname = ANY(%s)"
        " AND relnamespace = current_schema()::regnamespace", (list(PROTECTED),))}
    off = [t for t in PROTECTED if not secured.get(t)]
    policies = {str(r["policyname"]) for r in db.read(
        "SELECT policyname FROM pg_policies WHERE schemaname = current_schema()")}
    missing = [p for p in POLICIES if p not in policies]
    findings.append(CheckFinding(
        "row_level_security", not off and not missing,
        "; ".join(part for part in (f"off on: {', '.join(off)}" if off else "",
                                    f"policies missing: {', '.join(missing)}" if missing
                                    else "") if part)
        or f"on for {len(PROTECTED)} tables, {len(POLICIES)} policies"))
    enabled = {str(r["tgname"]): str(r["tgenabled"]) for r in db.read(
        "SELECT tgname, tgenabled FROM pg_trigger WHERE NOT tgisinternal")}
    bad = [t for t in TRIGGERS if enabled.get(t, "D") == "D"]
    findings.append(CheckFinding("append_only", not bad,
                                 f"missing or disabled: {', '.join(bad)}" if bad
                                 else f"{len(TRIGGERS)} triggers in place"))
    wrong = [f"{role} {'may not' if allowed else 'may'} {privilege} {table}"
             for role, table, privilege, allowed in GRANTS
             if bool(db.read("SELECT has_table_privilege(%s, %s, %s) AS yes",
                             (role, table, privilege))[0]["yes"]) != allowed]
    if db.read("SELECT has_column_privilege(%s, 'sessions', 'unit', 'UPDATE') AS yes",
               (USER_ROLE,))[0]["yes"]:
        wrong.append(f"{USER_ROLE} may UPDATE sessions.unit")
    findings.append(CheckFinding("grants", not wrong, "; ".join(wrong) if wrong else
                                 "the access log is append-only for the app's roles"))
    findings += event_findings(
        [str(r["session_id"]) for r in db.read(GAPS_SQL)], sessions.session_ids(),
        lambda session_id: sessions.load_events(session_id, purpose="check"))
    return findings
