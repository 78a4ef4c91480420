"""Issue 13, item 3: `sdm export -o` (and `prep-summary -o`, `agenda -o`, `schema -o`, the
review's `s`) harm nothing they write to.

Every file goes through `assistant.export.files.write_private`: a new temporary file in the
target's folder (O_EXCL|O_NOFOLLOW, 0600), written and fsynced, then put in place; an existing
file is replaced (renamed over, never truncated or chmodded) only with `--force` or the
dialog's confirmation; a symlink, device, FIFO or folder is refused and left as it was; a
failed write leaves the target as it was and no temporary file behind.

The commands run in a subprocess where a hang is possible (a FIFO): a timeout is a failure,
not a time check.
"""

from __future__ import annotations

import os
import resource
import signal
import stat
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant.cli import main
from tests.conftest import ROOT

TIMEOUT = 60  # seconds before a subprocess counts as hung (a failure, not a time check)
AGENDA = ["agenda", "netvaerksmoede", "--format", "html"]


def sdm(*argv: str, **kw: Any) -> subprocess.CompletedProcess[str]:
    """`sdm ARGV` in a real process (as a user would run it)."""
    kw.setdefault("timeout", TIMEOUT)
    done: subprocess.CompletedProcess[str] = subprocess.run(
        [sys.executable, "-m", "assistant", *argv], capture_output=True, text=True, cwd=ROOT,
        check=False, **kw)
    return done


def leftovers(folder: Path) -> list[str]:
    """Temporary files left in `folder`."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


# --- an existing file ----------------------------------------------------------------------------


def test_an_existing_file_is_refused_without_force(tmp_path: Path) -> None:
    out = tmp_path / "agenda.html"
    out.write_text("the clinic's own notes", encoding="utf-8")
    out.chmod(0o644)
    done = sdm(*AGENDA, "-o", str(out))
    assert done.returncode == 1
    assert done.stderr == f"sdm agenda: {out} exists; use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "the clinic's own notes"
    assert stat.S_IMODE(out.stat().st_mode) == 0o644  # not chmodded either
    assert leftovers(tmp_path) == []


def test_force_replaces_the_name_not_the_old_file(tmp_path: Path) -> None:
    out = tmp_path / "agenda.html"
    out.write_text("old", encoding="utf-8")
    out.chmod(0o644)
    keep = tmp_path / "still-the-old-file"
    os.link(out, keep)  # another name for the old file: it must keep its contents
    done = sdm(*AGENDA, "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    assert "<html" in out.read_text(encoding="utf-8")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert keep.read_text(encoding="utf-8") == "old"  # never truncated nor rewritten
    assert stat.S_IMODE(keep.stat().st_mode) == 0o644  # nor chmodded
    assert out.stat().st_ino != keep.stat().st_ino
    assert leftovers(tmp_path) == []


@pytest.mark.skipif(os.geteuid() != 0, reason="giving a file to another user needs root")
def test_a_file_owned_by_someone_else_is_not_truncated(tmp_path: Path) -> None:
    out = tmp_path / "theirs.html"
    out.write_text("someone else's", encoding="utf-8")
    os.chown(out, 65534, 65534)
    out.chmod(0o666)  # writable by us: the old code truncated it, then failed to chmod
    keep = tmp_path / "their-other-name"
    os.link(out, keep)
    done = sdm(*AGENDA, "-o", str(out))
    assert done.returncode == 1 and "use --force" in done.stderr
    assert out.read_text(encoding="utf-8") == "someone else's"
    info = out.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (65534, 0o666)
    done = sdm(*AGENDA, "-o", str(out), "--force")
    assert done.returncode == 0, done.stderr
    # The name now holds our new, private file; their file is as it was.
    assert (out.stat().st_uid, stat.S_IMODE(out.stat().st_mode)) == (os.geteuid(), 0o600)
    assert keep.read_text(encoding="utf-8") == "someone else's"
    info = keep.stat()
    assert (info.st_uid, stat.S_IMODE(info.st_mode)) == (65534, 0o666)


# --- what is not a regular file ------------------------------------------------------------------


def test_a_device_node_is_refused_and_not_chmodded(tmp_path: Path) -> None:
    node = tmp_path / "null"
    try:
        os.mknod(node, 0o666 | stat.S_IFCHR, os.makedev(1, 3))  # a private /dev/null
    except (PermissionError, OSError):
        pytest.skip("cannot create a device node here")
    node.chmod(0o666)
    for force in ((), ("--force",)):
        for argv in (AGENDA, ["schema"]):
            done = sdm(*argv, "-o", str(node), *force)
            assert done.returncode == 1, done.stderr
            assert "not a regular file" in done.stderr and "Traceback" not in done.stderr
            assert len(done.stderr.splitlines()) == 1
    info = os.lstat(node)
    assert stat.S_ISCHR(info.st_mode) and stat.S_IMODE(info.st_mode) == 0o666
    assert leftovers(tmp_path) == []


def test_a_fifo_is_refused_at_once(tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    # The old code opened it for writing and waited for a reader for ever.
    done = sdm(*AGENDA, "-o", str(fifo), "--force", timeout=5)
    assert done.returncode == 1 and "not a regular file" in done.stderr
    assert stat.S_ISFIFO(os.lstat(fifo).st_mode)


def test_a_symlink_is_not_written_through(tmp_path: Path) -> None:
    target = tmp_path / "elsewhere.txt"
    target.write_text("precious", encoding="utf-8")
    target.chmod(0o644)
    link = tmp_path / "agenda.html"
    link.symlink_to(target)
    for force in ((), ("--force",)):
        done = sdm(*AGENDA, "-o", str(link), *force)
        assert done.returncode == 1 and "symbolic link" in done.stderr, done.stderr
    assert link.is_symlink() and target.read_text(encoding="utf-8") == "precious"
    assert stat.S_IMODE(target.stat().st_mode) == 0o644


def test_a_folder_is_wrong_use(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*AGENDA, "-o", str(tmp_path), "--force"]) == 2
    assert "is a folder" in capsys.readouterr().err


# --- a failed write ------------------------------------------------------------------------------


def _small_files() -> None:
    """In the child: files may not grow beyond 512 bytes (writes fail with EFBIG, a stand-in
    for a full disk)."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (512, 512))


@pytest.mark.parametrize("exists", [False, True])
def test_a_failed_write_leaves_the_target_as_it_was(tmp_path: Path, exists: bool) -> None:
    out = tmp_path / "agenda.html"
    if exists:
        out.write_text("old", encoding="utf-8")
    done = sdm(*AGENDA, "-o", str(out), *(("--force",) if exists else ()),
               preexec_fn=_small_files)
    assert done.returncode == 1, done.stderr
    assert done.stderr.startswith(f"sdm agenda: cannot write {out}: ")
    assert len(done.stderr.splitlines()) == 1
    if exists:
        assert out.read_text(encoding="utf-8") == "old"
    else:
        assert not out.exists()  # no empty or half-written file
    assert leftovers(tmp_path) == []


def test_a_folder_that_cannot_be_written_is_said_clearly(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from assistant.export.files import WriteRefused, write_private

    real_open = os.open

    def no_entry(path: object, flags: int, *args: object, **kw: object) -> int:
        if flags & os.O_CREAT:
            raise PermissionError(13, "Permission denied")
        return real_open(path, flags, *args, **kw)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "open", no_entry)
    with pytest.raises(WriteRefused) as refused:
        write_private(tmp_path / "x.txt", "text")
    assert refused.value.reason == "folder_not_writable"
    assert refused.value.message == (f"cannot create a file in the folder {tmp_path}: "
                                     "Permission denied")


def test_the_export_command_follows_the_same_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from assistant.engine import Session
    from assistant.store import Store
    from tests.cli.test_export import sdm as export_sdm
    from tests.engine.helpers import walk
    from tests.plans.helpers import LIBRARY

    store = tmp_path / "store" / "sessions.sqlite3"
    loaded = LIBRARY.guides["netvaerksmoede"]
    session = Session(loaded.document)  # type: ignore[arg-type]
    walk(session)
    with Store.open(store) as opened:
        session_id = opened.create_session(loaded, "AB", ["patient", "clinician"]).id
        for event in session.events:
            opened.append(session_id, event)
    out = tmp_path / "plan.txt"
    out.write_text("old", encoding="utf-8")
    base = ["export", session_id, "--store", str(store), "-o", str(out)]
    assert export_sdm(base) == 1
    assert capsys.readouterr().err == f"sdm export: {out} exists; use --force to replace it\n"
    assert out.read_text(encoding="utf-8") == "old"
    assert export_sdm([*base, "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("Udskrivningsaftale")
    assert stat.S_IMODE(out.stat().st_mode) == 0o600


# --- the review's save ---------------------------------------------------------------------------


async def test_the_review_dialog_replaces_only_after_confirmation(tmp_path: Path) -> None:
    """The dialog asks before overwriting (a dialog of its own, its focus on keeping the old
    file), and its confirmation reaches `write_private` even when the caller passes on only
    the path (as the review screen does)."""
    from textual.app import App
    from textual.widgets import Button, Static

    from assistant.tui.dialogs.export import ExportDialog, ExportRequest
    from assistant.tui.dialogs.replace import ReplaceDialog
    from assistant.tui.saving import write_export

    out = tmp_path / "plan.txt"
    out.write_text("old", encoding="utf-8")
    node = tmp_path / "fifo"
    os.mkfifo(node)
    results: list[bool] = []

    class Host(App[None]):
        def on_mount(self) -> None:
            self.ask(out)

        def ask(self, path: Path) -> None:
            def done(request: ExportRequest | None) -> None:
                if request is not None:  # as ReviewScreen.save_export: the confirmation too
                    results.append(write_export(self.screen, request.path, "new", "da",
                                                replace=request.replace))

            self.push_screen(ExportDialog("da", formats=[("text", "Tekst")],
                                          default_path=lambda _fmt: path,
                                          encrypted=False), done)

    app = Host()
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        asking = app.screen
        assert isinstance(asking, ReplaceDialog)
        assert "findes allerede" in str(asking.query_one(".dialog-title", Static).render())
        assert str(out) in str(asking.query_one("#replace-path", Static).render())
        # A stray Enter keeps the old file (the focus starts on "keep"): back to the dialog.
        assert isinstance(asking.focused, Button) and asking.focused.id == "keep"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ExportDialog) and results == []
        assert out.read_text(encoding="utf-8") == "old"
        # Kept, the focus is back on the file name: Enter saves (asks) again; "Replace"
        # replaces. (A second click within the button's short press effect is ignored.)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ReplaceDialog)
        await pilot.click("#replace")
        await pilot.pause()
        assert results == [True] and out.read_text(encoding="utf-8") == "new"
        assert stat.S_IMODE(out.stat().st_mode) == 0o600
        # Without a confirmation, an existing file is not replaced.
        assert not write_export(app.screen, out, "newer", "da")
        assert out.read_text(encoding="utf-8") == "new"
        # A FIFO (or device) is refused in the dialog, in words, and left alone.
        app.ask(node)
        await pilot.pause()
        await pilot.click("#save")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, ExportDialog)
        assert "ikke en almindelig fil" in str(
            dialog.query_one("#export-error", Static).render())
        assert stat.S_ISFIFO(os.lstat(node).st_mode)
    assert leftovers(tmp_path) == []
