"""Sessions that live in the store: start one, resume one, record its events.

The glue between the engine (a `Session` in memory) and the store (rows and events on disk),
used by the chat UI and the CLI alike. Nothing here imports Textual.

Resuming replays the stored events (`engine.rehydrate`). If the guide changed since the
session was recorded (another version or other text), every answer whose step still exists
is kept; answers to steps that are gone, or that no longer fit the step, are listed as
`dropped` — they stay in the store (nothing is overwritten), they just no longer count.

Who takes part is part of the record: starting a session records one `AddParticipant` per
role present, so the engine knows whether a clinician and the patient take part (the
approval rule depends on it: see `assistant.engine.state`). A session stored before this
was done gets them when it is resumed, from the roles stored with it, at its start time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from pydantic import JsonValue

from assistant.engine import AddParticipant, EngineError, Event, Prepared, Session
from assistant.engine.rehydrate import guide_changed, rehydrate_session
from assistant.engine.values import plain
from assistant.guides.flow import flow
from assistant.guides.loader import Library, Loaded
from assistant.guides.models import Guide, Language, MeetingGuide, PlanTemplate, Role, free_text
from assistant.plans.models import Label, PlanDraft
from assistant.service.exports import read_state, save_revision, session_library
from assistant.store import SessionRow, StoreError
from assistant.store.contract import SessionLockContract, StoreContract
from assistant.store.models import Revision, RevisionKind
from assistant.text import clean_text


def _clean(value: JsonValue) -> JsonValue:
    """JSON data with every text cleaned (`clean_text`): prepared words are data, never
    control, and stay equal to what an answer widget gives back for them."""
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [_clean(v) for v in value]
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items()}
    return value


def participant_events(present: Sequence[Role], at: dt.datetime) -> list[AddParticipant]:
    """One `AddParticipant` per role present (each once, in order), at `at`: what a session
    records when it starts, so the engine knows who takes part."""
    return [AddParticipant(role=role, at=at) for role in dict.fromkeys(present)]


class SessionUnavailable(Exception):
    """A session cannot be opened; `message` says why in words for the user (no health data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class SessionPaused(SessionUnavailable):
    """An event was to be recorded while the UI is locked; nothing was recorded."""


@dataclass
class OpenSession:
    """A session open for writing: this process holds its lock until `close()`."""

    row: SessionRow
    session: Session
    store: StoreContract
    lock: SessionLockContract
    #: True when the guide changed since the session was recorded.
    guide_changed: bool = False
    #: Events that no longer fit the guide (kept in the store, not counted).
    dropped: list[Event] = field(default_factory=list)
    #: True while the UI is locked: `record` refuses, so nothing is recorded unseen.
    paused: bool = False

    def record(self, event: Event) -> None:
        """Commit `event` to the store; returns only once it is durably written.

        Raises `SessionPaused` while `paused` (the screen is locked): loudly, so the UI says
        the answer was not saved rather than losing it silently.
        """
        self._refuse_while_paused()
        self.store.append(self.row.id, event)

    def _refuse_while_paused(self) -> None:
        if self.paused:
            raise SessionPaused("the screen is locked: nothing is recorded until it is "
                                "unlocked")

    def finish(self) -> None:
        """Mark the session finished (every step dealt with)."""
        if self.row.status == "in_progress":
            self.row = self.store.update_session(self.row.id, status="finished")

    def close(self) -> None:
        """Release the session's lock (the data stays)."""
        self.lock.release()

    def record_applied(self, event: Event) -> None:
        """Check `event`, commit it to the store, then apply it to the session.

        Raises `EngineError` (nothing recorded) or `StoreError` / `SessionPaused`."""
        self.session.check(event)
        self.record(event)
        self.session.apply(event)

    def save_revision(self, draft: PlanDraft, kind: RevisionKind) -> int:
        """Record `draft` as a plan revision (`approved` or `exported`); returns its number.

        Raises `SessionPaused` while `paused`, as `record` does."""
        self._refuse_while_paused()
        return save_revision(self.store, self.row.id, draft, kind).revision

    def revisions(self) -> list[tuple[Revision, PlanDraft | None]]:
        """The session's stored plan revisions, oldest first, each with its draft (None when
        this version cannot read it)."""
        from pydantic import ValidationError

        from assistant.export.jsonfile import load_json

        out: list[tuple[Revision, PlanDraft | None]] = []
        for revision in self.store.list_revisions(self.row.id):
            try:
                draft: PlanDraft | None = load_json(revision.draft)
            except ValidationError:
                draft = None
            out.append((revision, draft))
        return out


class SessionService:
    """Start and resume stored sessions of the guides in `library`."""

    def __init__(self, store: StoreContract, library: Library) -> None:
        self.store = store
        self.library = library

    @property
    def read_only(self) -> bool:
        """True when the store could only be opened read-only (it is damaged)."""
        return self.store.read_only

    def unfinished(self) -> list[SessionRow]:
        """Sessions still in progress, newest first."""
        return self.store.list_sessions(unfinished_only=True)

    def finished(self, limit: int = 10) -> list[tuple[SessionRow, dt.date | None]]:
        """The `limit` most recent finished sessions, newest first, each with the date its
        plan's revision fell due if that date has passed (else None). Opening one shows
        its plan again: for the yearly re-evaluation, or to export it once more."""
        today = self.store.now().date()
        overdue = {r.session_id: r.next_revision_due for r in self.store.revisions_due(today)}
        rows = [r for r in self.store.list_sessions() if r.status != "in_progress"][:limit]
        return [(r, overdue.get(r.id)) for r in rows]

    def approved_plans(self, session_id: str) -> list[tuple[str, Label]]:
        """The plans of a session that have been approved: (template id, title), each once,
        in the order they were first approved (from the stored `approved` revisions; one
        this version cannot read is left out). Raises `StoreError`."""
        from assistant.export.jsonfile import load_json

        found: dict[str, Label] = {}
        for revision in self.store.list_revisions(session_id, kind="approved"):
            try:
                draft = load_json(revision.draft)
            except ValueError:  # pydantic's ValidationError: a draft of another version
                continue
            found.setdefault(draft.template.id, draft.template.title)
        return list(found.items())

    def _plans_of(self, loaded: Loaded) -> list[Loaded]:
        """The library's plan templates `loaded` fills: kept with its sessions, so that their
        plans can be drafted even when a template later changes or leaves the library."""
        from assistant.plans.draft import draft_templates

        guide = loaded.document
        if isinstance(guide, PlanTemplate):
            return []
        templates = self.library.templates
        return [templates[t] for t in draft_templates(guide) if t in templates]

    def _resumed_guide(self, row: SessionRow) -> Loaded:
        """The guide to resume `row` on: the library's (a changed one is offered as the new
        version, `resume`), else the copy kept with the session (the guide left the
        library: its folder moved or was taken away)."""
        loaded = self.library.guides.get(row.guide_id)
        if loaded is not None:
            return loaded
        kept = session_library(self.store, self.library, row).guides.get(row.guide_id)
        if kept is None:
            raise SessionUnavailable(f"the guide '{row.guide_id}' is no longer in the library")
        return kept

    def _guide(self, guide_id: str) -> Loaded:
        loaded = self.library.guides.get(guide_id)
        if loaded is None:
            raise SessionUnavailable(f"the guide '{guide_id}' is no longer in the library")
        return loaded

    def preparations(self, guide: Guide) -> list[SessionRow]:
        """Stored sessions of the meeting guide's preparation guide, to start the meeting from.

        Finished ones first, then those still in progress; newest first within each. Empty
        when the guide names no preparation guide.
        """
        if not isinstance(guide, MeetingGuide) or guide.preparation is None:
            return []
        rows = [r for r in self.store.list_sessions() if r.guide_id == guide.preparation]
        return sorted(rows, key=lambda r: not r.finished)  # stable: newest first stays

    def used_preparations(self, guide: Guide) -> set[str]:
        """The ids of the preparation sessions (of `guide`'s preparation guide) that a stored
        meeting is already built on. Raises `StoreError`.

        A meeting records what it took from its preparation as `Prepared` events, each naming
        the preparation session; a meeting of any guide that shares the preparation guide
        counts (an adult's and a young person's network meeting prepare alike). A meeting
        that took no answer from its preparation leaves no trace, so it does not count.
        """
        if not isinstance(guide, MeetingGuide) or guide.preparation is None:
            return set()
        meetings = {gid for gid, loaded in self.library.guides.items()
                    if isinstance(loaded.document, MeetingGuide)
                    and loaded.document.preparation == guide.preparation}
        used: set[str] = set()
        for row in self.store.list_sessions():
            if row.guide_id in meetings:
                used.update(e.source_session for e in self.store.load_events(row.id)
                            if isinstance(e, Prepared))
        return used

    def start(
        self, guide: Guide, label: str, present: Sequence[Role], language: Language, *,
        preparation: str | None = None, at: dt.datetime | None = None,
    ) -> OpenSession:
        """Create a new session and hold its lock.

        With `preparation` (the id of a session of the guide's preparation guide), the new
        session starts with one `Prepared` event per step whose `prepared` names a step the
        patient answered there (corrections from the preparation's review applied, struck
        lines and answers given by someone else left out). Then one `AddParticipant` per
        role in `present`: who takes part decides who may approve a plan. Each is recorded
        durably before this returns; `at` is their time (default: the store's clock).
        """
        loaded = self._guide(guide.id)
        when = at or self.store.now()
        prepared: list[Prepared] = []
        if preparation is not None:
            prepared = self._prepared_events(guide, preparation, when)
        try:
            row = self.store.create_session(loaded, label, list(present),
                                            keep=self._plans_of(loaded))
            lock = self.store.lock(row.id).acquire()
        except StoreError as exc:
            raise SessionUnavailable(exc.message) from None
        opened = OpenSession(row, Session(guide, language=language), self.store, lock)
        self._record_all(opened, [*prepared, *participant_events(present, when)])
        return opened

    @staticmethod
    def _record_all(opened: OpenSession, events: Sequence[Event]) -> None:
        """Record and apply `events` in order, leaving out those the engine refuses."""
        for event in events:
            try:
                opened.record_applied(event)
            except EngineError:
                continue  # e.g. a prepared answer that does not fit the meeting's step
            except StoreError as exc:
                opened.close()
                raise SessionUnavailable(exc.message) from None

    def _prepared_events(
        self, guide: Guide, session_id: str, at: dt.datetime
    ) -> list[Prepared]:
        """The `Prepared` events a meeting of `guide` gets from preparation `session_id`."""
        if not isinstance(guide, MeetingGuide) or guide.preparation is None:
            raise SessionUnavailable(f"the guide '{guide.id}' names no preparation guide")
        try:
            row = self.store.get_session(session_id)
            if row.guide_id != guide.preparation:
                raise SessionUnavailable(f"the session is not a preparation "
                                         f"('{guide.preparation}') for this meeting")
            state = read_state(self.store, self.library, session_id)
        except StoreError as exc:
            raise SessionUnavailable(exc.message) from None
        except LookupError as exc:
            raise SessionUnavailable(str(exc)) from None
        events: list[Prepared] = []
        for flow_step in flow(guide):
            source = flow_step.step.prepared
            record = state.answers.get(source) if source is not None else None
            if source is None or record is None or record.speaker != "patient":
                continue
            review = state.line_review(source)
            if review is not None and review.kind == "struck":
                continue
            value = plain(record.value)
            words = free_text(state.step(source).step)
            if review is not None and review.text is not None and words:
                value = review.text
            events.append(Prepared(step=flow_step.id, value=_clean(value), source_session=row.id,
                                   source_step=source, prepared_at=record.at, at=at))
        return events

    def resume(self, session_id: str, language: Language) -> OpenSession:
        """Open a stored session again, at the exact step where it stopped."""
        try:
            row = self.store.get_session(session_id)
            loaded = self._resumed_guide(row)
            lock = self.store.lock(row.id).acquire()
            events = self.store.load_events(row.id, purpose="open")
        except StoreError as exc:
            raise SessionUnavailable(exc.message) from None
        changed = guide_changed(row, loaded)
        session, dropped = rehydrate_session(loaded, events, language=language)
        if changed and not self.store.read_only:
            row = self.store.update_session(row.id, guide=loaded, keep=self._plans_of(loaded))
        opened = OpenSession(row, session, self.store, lock, changed, dropped)
        if not self.store.read_only and not session.state.participants:
            # Stored before sessions recorded who takes part: the roles stored with the
            # session were present at its start.
            self._record_all(opened, participant_events(row.present, row.created))
        return opened
