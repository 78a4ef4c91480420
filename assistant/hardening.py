"""Process protections for a program that holds health data in memory.

While a session store is open, this process holds the passphrase (as typed), the keys and the
decrypted answers in memory. A core dump would copy all of that to a file: `ulimit -c
unlimited` and a SIGABRT were enough to get one with the passphrase in it. `protect_process`
closes that door before anything is read:

* **Linux:** `RLIMIT_CORE` is set to 0 (soft and hard, so nothing in the process can raise it
  again without privileges), and `prctl(PR_SET_DUMPABLE, 0)` marks the process not dumpable.
  The second also covers a `core_pattern` that pipes cores to a handler (systemd-coredump,
  apport), which ignores `RLIMIT_CORE`, and it keeps other processes of the same user from
  attaching a debugger or reading `/proc/<pid>/mem`.
* **macOS and other Unix:** `RLIMIT_CORE` 0; there is no `PR_SET_DUMPABLE`.
* **Windows:** nothing is changed. Windows writes crash dumps only where Windows Error
  Reporting's `LocalDumps` is configured by an administrator; that is the machine's policy.

Calling it again does the same again (it is idempotent). It never raises: a protection that
could not be applied is not a reason to refuse to run, but it is reported in the returned
`Protection` (the tests read it; the program does not print it, as nothing is wrong with what
the user did). The system calls themselves are in `assistant.system`; this module decides
which apply where and words what was left undone.
"""

from __future__ import annotations

import sys
from typing import NamedTuple

import assistant.system as system


class Protection(NamedTuple):
    """What `protect_process` achieved, and why anything was left undone."""

    #: RLIMIT_CORE is (0, 0): the kernel writes no core file for this process.
    no_core_file: bool
    #: The process is not dumpable (Linux): no core, not even to a piped core handler.
    not_dumpable: bool
    #: One line per protection not applied, naming the platform or the error (never data).
    notes: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        """True if every protection this platform offers is in place."""
        if sys.platform.startswith("linux"):
            return self.no_core_file and self.not_dumpable
        if sys.platform == "win32":
            return True  # nothing to set; see the module docstring
        return self.no_core_file


_last: Protection | None = None


def protect_process() -> Protection:
    """Keep this process from writing core dumps (see the module docstring). Never raises."""
    global _last
    notes: list[str] = []
    no_core = not_dumpable = False
    try:
        no_core = _limit_core(notes)
        not_dumpable = _not_dumpable(notes)
    except Exception as exc:  # never fatal: see the module docstring
        notes.append(f"unexpected {type(exc).__name__} while protecting the process")
    _last = Protection(no_core_file=no_core, not_dumpable=not_dumpable, notes=tuple(notes))
    return _last


def last_protection() -> Protection | None:
    """What the last `protect_process` call in this process achieved (None: not called)."""
    return _last


def dumpable() -> int | None:
    """`prctl(PR_GET_DUMPABLE)` on Linux (0: not dumpable, 1: dumpable); None elsewhere."""
    if not sys.platform.startswith("linux"):
        return None
    try:
        return system.dumpable_flag()
    except (OSError, AttributeError):
        return None


def _limit_core(notes: list[str]) -> bool:
    if sys.platform == "win32":
        notes.append("Windows: no RLIMIT_CORE; crash dumps follow the machine's Windows Error "
                     "Reporting policy")
        return False
    try:
        return system.forbid_core_files()
    except (ImportError, AttributeError, OSError, ValueError) as exc:
        notes.append(f"RLIMIT_CORE not set to 0: {type(exc).__name__}: {exc}")
        return False


def _not_dumpable(notes: list[str]) -> bool:
    if not sys.platform.startswith("linux"):
        if sys.platform != "win32":
            notes.append(f"{sys.platform}: no PR_SET_DUMPABLE; RLIMIT_CORE 0 is what there is")
        return False
    try:
        if not system.make_undumpable():
            notes.append("prctl(PR_SET_DUMPABLE, 0) failed")
            return False
        return system.dumpable_flag() == 0
    except (OSError, AttributeError) as exc:  # no libc found, or no prctl in it
        notes.append(f"prctl not available: {type(exc).__name__}: {exc}")
        return False

