"""Reading files in a child process, so that no file can take the desktop (or its unsaved edits) down.

calamine is Rust: an allocation it cannot make aborts the whole process (SIGABRT, exit 134) and nothing in
Python can catch that.  :mod:`recuperation.sheet_budget` refuses the files known to do it, but a reader of
hostile input cannot count on having foreseen everything, so the budget check and calamine (and the csv
module, which builds a whole row before the reader keeps 200 cells of it) run in a worker process with

- a memory limit (``RLIMIT_AS``: its size at start plus :data:`MEMORY_LIMIT`; not on Windows, where the
  budget alone bounds memory),
- a time limit: :data:`READ_TIMEOUT` seconds of waiting in the parent, which then kills it, and 60 s of
  CPU per file (``RLIMIT_CPU``) should the parent be gone,
- its own stdout for the rows (the protocol) and its stderr in a temporary file, so that a Rust panic or
  "memory allocation failed" ends in the log, never on the user's terminal.

The worker is started on the first file and kept for the next ones (a fresh Python importing
python-calamine costs about 80 ms; a kept worker costs only the transfer of the rows, about 1 ms for a
2,000-row roster); one that has grown past :data:`RETIRE_MB` on a big file is ended after it.  When it
dies or hangs, the file is refused with a message (``import.reader_crashed``, ``import.reader_timeout``)
and the next file starts a new worker.  Rows come back pickled, a sheet at a time in chunks of 2,000 rows,
and are unpickled with a loader that accepts only the types a cell can have.

How the worker is started: ``python -m recuperation.sheets_child`` (stdin/stdout pipes) from a source or
installed tree; in the frozen program (PyInstaller, where ``sys.executable`` is the program itself),
``multiprocessing`` with spawn, which packaging/entry.py's ``freeze_support()`` serves.
``RECUPERATION_SHEETS_READER`` chooses for tests: ``process``, ``spawn`` or ``inline`` (no child: for a
debugger).  If no worker can be started at all, the file is read in this process after the budget check,
and the log says so.
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import io
import logging
import os
import pickle
import queue
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

from recuperation.errors import DomainError, ValidationError
from recuperation.sheet_budget import Phrase

if TYPE_CHECKING:
    from multiprocessing.connection import Connection

    from recuperation.sheets import Sheet

log = logging.getLogger(__name__)
log.addHandler(logging.NullHandler())  # to the program's log when it has one, never onto the terminal

READ_TIMEOUT = 20.0  # seconds for one file; a workbook at the limits of the budget takes about 5
MEMORY_LIMIT = 450 * 1024 * 1024  # address space the worker may add to what it has at start
CPU_LIMIT = 60  # seconds of CPU per file, should the parent be gone
RETIRE_MB = 150  # a worker still this big after its file is ended (its memory stays fragmented)
ROWS_PER_MESSAGE = 2000

_HEADER = struct.Struct("<Q")
_MAX_MESSAGE = 1 << 31


# --- the worker -------------------------------------------------------------------------------------------------


def _limit_memory() -> None:
    try:
        import resource
    except ImportError:  # Windows
        return
    try:
        with open("/proc/self/statm") as statm:
            size = int(statm.read().split()[0]) * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError):
        return  # not Linux: RLIMIT_AS is not enforced everywhere (macOS); the budget bounds memory
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    limit = size + MEMORY_LIMIT
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_AS, (limit, hard))


def _limit_time() -> None:
    try:
        import resource
    except ImportError:
        return
    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = int(used.ru_utime + used.ru_stime) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = spent + CPU_LIMIT
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _replies(path: Path) -> Iterator[tuple[Any, ...]]:
    """What the worker says about one file: its sheets and rows, then "done"; or why it is refused."""
    from recuperation.sheets import read_here

    try:
        for sheet in read_here(path):
            yield ("sheet", sheet.name)
            for start in range(0, len(sheet.rows), ROWS_PER_MESSAGE):
                yield ("rows", sheet.rows[start : start + ROWS_PER_MESSAGE])
        yield ("done", _resident_mb())
    except DomainError as exc:
        params = {
            k: v if isinstance(v, str | int | float | Phrase) else str(v) for k, v in exc.params.items()
        }
        yield ("refused", exc.key, exc.field, params)
    except MemoryError:
        yield ("memory",)


def _resident_mb() -> float:
    """The worker's resident memory now (Linux; 0 elsewhere).  Not ru_maxrss, which on Linux also holds the
    size of the parent it was forked from."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1024 / 1024
    except (OSError, ValueError, IndexError, AttributeError):
        return 0.0


def serve(receive: Callable[[], bytes | None], send: Callable[[bytes], None]) -> None:
    """The worker's loop: a pickled path in, pickled replies out, until its input closes."""
    import signal

    with contextlib.suppress(ValueError, OSError, AttributeError):
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl+C is for the parent, which then stops us
    import python_calamine  # noqa: F401 - loaded before the memory limit, once

    _limit_memory()
    send(pickle.dumps(("ready",)))
    while (request := receive()) is not None:
        path = Path(pickle.loads(request))
        _limit_time()
        for reply in _replies(path):
            send(pickle.dumps(reply, protocol=pickle.HIGHEST_PROTOCOL))


def _read_frame(stream: IO[bytes]) -> bytes | None:
    header = stream.read(_HEADER.size)
    if len(header) < _HEADER.size:
        return None
    (size,) = _HEADER.unpack(header)
    if size > _MAX_MESSAGE:
        return None
    data = stream.read(size)
    return data if len(data) == size else None


def _write_frame(stream: IO[bytes], data: bytes) -> None:
    stream.write(_HEADER.pack(len(data)))
    stream.write(data)
    stream.flush()


def main() -> None:
    """``python -m recuperation.sheets_child``: requests on stdin, replies on stdout (moved out of the way
    of anything that prints: the replies go to the original stdout, fd 1 then points to stderr)."""
    replies = os.fdopen(os.dup(1), "wb")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    requests = os.fdopen(os.dup(0), "rb")
    serve(lambda: _read_frame(requests), lambda data: _write_frame(replies, data))


def serve_connection(connection: Connection) -> None:
    """The worker started by multiprocessing (the frozen program): the same loop over a Pipe."""
    with contextlib.suppress(OSError):
        null = os.open(os.devnull, os.O_WRONLY)
        os.dup2(null, 2)  # calamine's panic messages: not on the user's console

    def receive() -> bytes | None:
        try:
            return connection.recv_bytes()
        except (EOFError, OSError):
            return None

    serve(receive, connection.send_bytes)


# --- the parent's side -------------------------------------------------------------------------------------------


class _Gone(Exception):
    """The worker ended (its exit status is then known)."""


class _Process:
    """A worker started as ``python -m recuperation.sheets_child``, a thread reading its replies."""

    def __init__(self) -> None:
        package_root = str(Path(__file__).resolve().parent.parent)
        env = dict(os.environ)
        env["PYTHONPATH"] = os.pathsep.join(p for p in (package_root, env.get("PYTHONPATH")) if p)
        self.errors = tempfile.TemporaryFile()  # noqa: SIM115 - open as long as the worker lives
        self.process = subprocess.Popen(
            [sys.executable, "-m", "recuperation.sheets_child"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.errors,
            env=env,
            creationflags=getattr(subprocess, "CREATE_NO_WINDOW", 0),
        )
        self.replies: queue.Queue[bytes | None] = queue.Queue()
        threading.Thread(target=self._pump, name="sheets-reader", daemon=True).start()

    def _pump(self) -> None:
        stream = self.process.stdout
        assert stream is not None
        while (frame := _read_frame(stream)) is not None:
            self.replies.put(frame)
        self.replies.put(None)

    def send(self, data: bytes) -> None:
        assert self.process.stdin is not None
        try:
            _write_frame(self.process.stdin, data)
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise _Gone from exc

    def receive(self, timeout: float) -> bytes:
        try:
            frame = self.replies.get(timeout=max(timeout, 0.0))
        except queue.Empty:
            raise TimeoutError from None
        if frame is None:
            raise _Gone
        return frame

    def stop(self) -> int | None:
        with contextlib.suppress(OSError):
            self.process.kill()
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return None

    def close(self) -> None:
        """At exit: close its input (it ends), then make sure it is gone and reaped."""
        with contextlib.suppress(OSError, ValueError):
            if self.process.stdin is not None:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=2)
        except subprocess.TimeoutExpired:
            self.stop()

    def exit_code(self) -> int | None:
        try:
            return self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return self.stop()

    def stderr(self) -> str:
        """The start of what the worker said on stderr (Rust's message comes first, then any backtrace)."""
        try:
            self.errors.seek(0)
            said = self.errors.read(4096).decode("utf-8", "replace")
            self.errors.seek(0)
            self.errors.truncate()
            return said
        except OSError:
            return ""


class _Spawned:
    """A worker started by multiprocessing (spawn), replies over a Pipe."""

    def __init__(self) -> None:
        import multiprocessing

        context = multiprocessing.get_context("spawn")
        self.connection, child = context.Pipe()
        self.process = context.Process(
            target=serve_connection, args=(child,), name="sheets-reader", daemon=True
        )
        self.process.start()
        child.close()

    def send(self, data: bytes) -> None:
        try:
            self.connection.send_bytes(data)
        except (BrokenPipeError, OSError, ValueError) as exc:
            raise _Gone from exc

    def receive(self, timeout: float) -> bytes:
        try:
            if not self.connection.poll(max(timeout, 0.0)):
                raise TimeoutError
            return self.connection.recv_bytes()
        except (EOFError, OSError) as exc:
            raise _Gone from exc

    def stop(self) -> int | None:
        with contextlib.suppress(OSError, ValueError):
            self.process.kill()
        self.process.join(10)
        return self.process.exitcode

    def close(self) -> None:
        with contextlib.suppress(OSError):
            self.connection.close()
        self.process.join(2)
        if self.process.is_alive():
            self.stop()

    def exit_code(self) -> int | None:
        self.process.join(10)
        return self.process.exitcode if self.process.exitcode is not None else self.stop()

    def stderr(self) -> str:
        return ""


_SAFE_GLOBALS = {
    ("datetime", "date"): dt.date,
    ("datetime", "datetime"): dt.datetime,
    ("datetime", "time"): dt.time,
    ("datetime", "timedelta"): dt.timedelta,
    ("datetime", "timezone"): dt.timezone,
}


class _Loader(pickle.Unpickler):
    """Unpickles the worker's replies, which hold cells (str, numbers, dates, None) and message parameters:
    nothing else is built, whatever the worker sends."""

    def find_class(self, module: str, name: str) -> Any:
        if (module, name) in _SAFE_GLOBALS:
            return _SAFE_GLOBALS[(module, name)]
        if (module, name) == ("recuperation.sheet_budget", "_phrase"):
            from recuperation import sheet_budget

            return sheet_budget._phrase
        raise pickle.UnpicklingError(f"{module}.{name} is not a cell")


def _load(data: bytes) -> Any:
    return _Loader(io.BytesIO(data)).load()


class Reader:
    """The parent's handle on the worker: one file at a time (a lock), started when first needed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.worker: _Process | _Spawned | None = None
        self.unavailable = False
        atexit.register(self.close)

    def _mode(self) -> str:
        mode = os.environ.get("RECUPERATION_SHEETS_READER", "")
        if mode in ("process", "spawn", "inline"):
            return mode
        return "spawn" if getattr(sys, "frozen", False) else "process"

    def _start(self) -> _Process | _Spawned | None:
        mode = self._mode()
        if mode == "inline" or self.unavailable:
            return None
        started = time.perf_counter()
        worker: _Process | _Spawned | None = None
        try:
            worker = _Spawned() if mode == "spawn" else _Process()
            if _load(worker.receive(READ_TIMEOUT)) != ("ready",):
                raise _Gone
        except (OSError, _Gone, TimeoutError, pickle.UnpicklingError) as exc:
            said = " ".join(worker.stderr().split())[:300] if worker is not None else ""
            if worker is not None:
                worker.stop()
            log.error(
                "the workbook reader process could not start (%r %s); files are read in this process",
                exc,
                said,
            )
            self.unavailable = True
            return None
        log.info("workbook reader process started in %.2f s (%s)", time.perf_counter() - started, mode)
        return worker

    def read(self, path: Path) -> list[Sheet]:
        with self.lock:
            if self.worker is None:
                self.worker = self._start()
            worker = self.worker
            if worker is None:
                from recuperation.sheets import read_here

                return list(read_here(path))
            try:
                worker.send(pickle.dumps(str(path)))
                sheets, resident = self._collect(worker, path)
                if resident > RETIRE_MB:  # a big file leaves a big process: the next file gets a fresh one
                    self.worker = None
                    worker.close()
                return sheets
            except ValidationError as exc:  # the worker's answer, given at the end of its work
                if exc.key == "import.reader_crashed":  # a MemoryError: start afresh next time
                    self.worker = None
                    worker.stop()
                raise
            except _Gone:
                self.worker = None
                raise self._crashed(worker, path) from None
            except TimeoutError:
                self.worker = None
                worker.stop()
                log.warning(
                    "reading %s took more than %s s: the reader process was stopped", path.name, READ_TIMEOUT
                )
                raise ValidationError(
                    "import.reader_timeout", field="file", path=str(path), seconds=int(READ_TIMEOUT)
                ) from None
            except BaseException:  # Ctrl+C or a bug here: the worker's state is unknown
                self.worker = None
                worker.stop()
                raise

    def _collect(self, worker: _Process | _Spawned, path: Path) -> tuple[list[Sheet], float]:
        from recuperation.sheets import Sheet

        deadline = time.monotonic() + READ_TIMEOUT
        sheets: list[Sheet] = []
        while True:
            reply = _load(worker.receive(deadline - time.monotonic()))
            kind = reply[0]
            if kind == "sheet":
                sheets.append(Sheet(reply[1], []))
            elif kind == "rows":
                sheets[-1].rows.extend(reply[1])
            elif kind == "done":
                return sheets, float(reply[1])
            elif kind == "refused":
                _, key, field, params = reply
                raise ValidationError(key, field=field, **params)
            elif kind == "memory":
                raise ValidationError(
                    "import.reader_crashed",
                    field="file",
                    path=str(path),
                    detail=Phrase("import.reader_memory", limit=MEMORY_LIMIT // 1024 // 1024),
                )
            else:
                raise _Gone

    def _crashed(self, worker: _Process | _Spawned, path: Path) -> ValidationError:
        code = worker.exit_code()
        said = " ".join(worker.stderr().split())[:300]
        log.warning(
            "the reader process ended on %s with exit status %s: %s",
            path.name,
            code,
            said or "(nothing said)",
        )
        if "memory allocation" in said or "MemoryError" in said or code in (-9, 137):
            detail = Phrase("import.reader_memory", limit=MEMORY_LIMIT // 1024 // 1024)
        else:
            detail = Phrase("import.reader_signal", code=code)
        return ValidationError("import.reader_crashed", field="file", path=str(path), detail=detail)

    def close(self) -> None:
        worker, self.worker = self.worker, None
        if worker is not None:
            worker.close()


_READER = Reader()


def read(path: Path) -> list[Sheet]:
    """Every sheet of a workbook, read by the worker process (see the module's docstring)."""
    return _READER.read(path)


if __name__ == "__main__":
    main()
