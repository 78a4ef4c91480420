"""The session service: stored sessions as the UI and the CLI use them.

    service = SessionService(store, library)          # sessions: start, resume, record
    opened = service.resume(session_id, "da")         # holds the session's lock
    state = read_state(store, library, session_id)    # exports: read-only, no lock
    store = open_with_prompt(path)                    # stores: asks for a passphrase

The layer between the pure engine and exports on one side and the store (rows and bytes) on
the other: `sessions` starts and resumes sessions (`engine.rehydrate` replays them) and
records their events; `exports` reads a stored session's state and records plan revisions;
`stores` opens the store, asking for an encrypted one's passphrase on the terminal (the only
module here that talks to the user). Nothing here imports Textual.
"""
