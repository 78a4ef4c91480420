"""Issue 13, item 7: guide files (and answers files) are read bounded.

A device (`/dev/zero`), a FIFO, a socket or a folder is refused before a byte is read; a
regular file is never read past the 1 MiB limit + 1 byte. `sdm validate /dev/zero` used to
grow to 3.7 GB and end in a MemoryError, and a FIFO hung it.

The commands run in a subprocess with a 5-second timeout: a timeout is a failure (a hang),
not a time check. The subprocess may not use more than 1 GiB of address space, so a command
that reads without a bound fails at once instead of filling the machine's memory.
"""

from __future__ import annotations

import os
import resource
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from assistant.guides.loader import load_file
from assistant.guides.yamlsubset import MAX_BYTES, NotRegularFile, YamlSubsetError, read_file
from tests.conftest import EXAMPLES, ROOT

TIMEOUT = 60  # seconds: a hang is a failure, not a time check (generous: the suite runs
# on several workers, and a loaded machine starts Python slowly)
NOT_REGULAR = ("cannot read the file: not a regular file (a device, FIFO, socket or folder): "
               "it was not read")


def _bounded_memory() -> None:
    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


def sdm(*argv: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "assistant", *argv], capture_output=True,
                          text=True, cwd=ROOT, timeout=TIMEOUT, check=False,
                          preexec_fn=_bounded_memory)


@pytest.fixture
def fifo(tmp_path: Path) -> Path:
    path = tmp_path / "guide.yaml"
    os.mkfifo(path)
    return path


def _only_problem(done: subprocess.CompletedProcess[str], name: str, message: str) -> None:
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "crash" not in done.stderr
    lines = [line for line in (done.stdout + done.stderr).splitlines()
             if line.startswith(f"{name}:")]
    assert lines == [f"{name}:1:1: {message}"]


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero here")
def test_validate_dev_zero_ends_at_once() -> None:
    _only_problem(sdm("validate", "/dev/zero"), "/dev/zero", NOT_REGULAR)


def test_validate_a_fifo_ends_at_once(fifo: Path) -> None:
    for command in ("validate", "lint", "list"):
        done = sdm(command, "--no-bundled", str(fifo)) if command == "validate" else sdm(
            command, str(fifo))
        _only_problem(done, str(fifo), NOT_REGULAR)


def test_a_socket_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.yaml"
    with socket.socket(socket.AF_UNIX) as server:
        server.bind(str(path))
        loaded, problems = load_file(path)
    assert loaded is None and [p.message for p in problems] == [NOT_REGULAR]


def test_a_huge_sparse_file_is_not_read(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("wb") as f:
        f.truncate(3 << 30)  # 3 GiB of nothing: read whole, it would not fit in the limit
    _only_problem(sdm("validate", "--no-bundled", str(big)), str(big),
                  f"file is larger than {MAX_BYTES // 1024} KiB")


def test_never_more_than_the_limit_plus_one_byte(tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """Even a file whose size says nothing (as in /proc, or one that grows while read)."""
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"#" * (3 * MAX_BYTES))
    real_fstat, real_read = os.fstat, os.read
    taken: list[int] = []

    class SaysEmpty:
        def __init__(self, info: os.stat_result) -> None:
            self.st_mode, self.st_size = info.st_mode, 0

    def fstat(fd: int) -> object:
        return SaysEmpty(real_fstat(fd))

    def read(fd: int, n: int) -> bytes:
        chunk = real_read(fd, n)
        taken.append(len(chunk))
        return chunk

    monkeypatch.setattr("assistant.guides.yamlsubset.os.fstat", fstat)
    monkeypatch.setattr("assistant.guides.yamlsubset.os.read", read)
    with pytest.raises(YamlSubsetError, match="larger than"):
        read_file(path)
    assert sum(taken) == MAX_BYTES + 1


def test_a_folder_or_device_is_refused_before_it_is_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    opened: list[object] = []
    real_open = os.open

    def spy(path: object, flags: int, *args: object) -> int:
        opened.append(path)
        return real_open(path, flags, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("assistant.guides.yamlsubset.os.open", spy)
    for path in (tmp_path, Path("/dev/zero")):
        with pytest.raises(NotRegularFile):
            read_file(path)
    assert opened == []


def test_a_file_just_at_the_limit_is_read(tmp_path: Path) -> None:
    path = tmp_path / "full.yaml"
    path.write_bytes(b"#" * MAX_BYTES)
    assert len(read_file(path)) == MAX_BYTES
    path.write_bytes(b"#" * (MAX_BYTES + 1))
    with pytest.raises(YamlSubsetError, match="larger than"):
        read_file(path)


def test_a_symlink_to_a_guide_still_loads(tmp_path: Path) -> None:
    link = tmp_path / "link.yaml"
    link.symlink_to(EXAMPLES / "eksempel-beslutning.yaml")
    loaded, problems = load_file(link)
    assert problems == [] and loaded is not None


def test_an_answers_file_that_is_a_fifo_or_a_device_ends_at_once(fifo: Path) -> None:
    for answers in (str(fifo), "/dev/zero"):
        done = sdm("replay", "samarbejde-ved-kriser", "--answers", answers)
        assert done.returncode in (1, 2), done.stderr
        assert len(done.stderr.splitlines()) == 1 and "Traceback" not in done.stderr
