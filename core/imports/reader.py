"""Reading a workbook's rows in a second process, so that parsing and checking run on two cores.

openpyxl parses a sheet in pure Python, about as fast as the rest of an import validates and
writes the rows; one process does one after the other. Here a forked child parses the workbook
and passes its rows back in batches through a pipe while the importing process validates and
writes the rows already read; the rows and their order are exactly those of
`workbook.iter_records`.

The child only reads: it never touches the database connection, the cache or the files it
inherited, and leaves with `os._exit`, so nothing of the parent (its open transaction above
all) is closed or flushed by it. Where a process cannot be forked (no `os.fork`), or the file
is small enough that a fork costs more than it saves, the rows are read in-process instead.
"""

from __future__ import annotations

import io
import os
import pickle
import select
import signal
import struct
import time
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from core.imports import workbook
from core.imports.limits import limit

BATCH_ROWS = 500
# Waiting longer than this for the child's next batch means it is stuck: give up.
STALL_SECONDS = 300
_HEADER = struct.Struct("!I")
_F_SETPIPE_SZ = 1031  # Linux; a larger pipe lets the child run further ahead
# The only classes a batch may hold besides plain values: what openpyxl gives for a cell.
_CELL_CLASSES = {("datetime", name) for name in ("datetime", "date", "time", "timedelta")}

Record = tuple[int, dict[str, Any]]


class ReaderFailed(Exception):
    """The child could not read the workbook (or died): the import stops, as on a read error."""


def forks(rows: int) -> bool:
    """Whether a file of this many rows is read in a child process."""
    return hasattr(os, "fork") and rows >= limit("IMPORT_PARALLEL_MIN_ROWS") > 0


@contextmanager
def records(content: bytes, rows: int) -> Iterator[Iterator[Record]]:
    """The workbook's records, read by a child process when `forks(rows)`, else in-process."""
    if not forks(rows):
        yield workbook.iter_records(io.BytesIO(content))
        return
    read_end, write_end = os.pipe()
    try:
        import fcntl

        fcntl.fcntl(write_end, _F_SETPIPE_SZ, 1 << 20)
    except (ImportError, OSError):
        pass
    pid = os.fork()
    if pid == 0:  # the child: read, send, leave without running anything of the parent's
        status = 1
        try:
            os.close(read_end)
            _produce(content, write_end)
            status = 0
        finally:
            os._exit(status)
    os.close(write_end)
    reader = _Frames(read_end)
    try:
        yield reader.records()
    finally:
        os.close(read_end)
        if not reader.finished:
            os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)


def _produce(content: bytes, fd: int) -> None:
    warnings.simplefilter("ignore")  # nothing may log from here (a lock held at fork time)
    batch: list[Record] = []
    try:
        for record in workbook.iter_records(io.BytesIO(content)):
            batch.append(record)
            if len(batch) >= BATCH_ROWS:
                _send(fd, ("rows", batch))
                batch = []
        _send(fd, ("rows", batch))
        _send(fd, ("end", None))
    except BrokenPipeError:
        return  # the parent stopped reading
    except Exception as error:  # the parent's in-process read would have raised the same
        _send(fd, ("error", f"{type(error).__name__}: {error}"[:500]))


def _send(fd: int, message: tuple) -> None:
    data = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
    view = memoryview(_HEADER.pack(len(data)) + data)
    while view:
        view = view[os.write(fd, view) :]


class _CellUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        if (module, name) not in _CELL_CLASSES:
            raise ReaderFailed(f"unexpected {module}.{name} from the reader")
        return super().find_class(module, name)


class _Frames:
    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.finished = False

    def records(self) -> Iterator[Record]:
        while True:
            kind, payload = self._message()
            if kind == "rows":
                yield from payload
            elif kind == "end":
                self.finished = True
                return
            else:
                raise ReaderFailed(payload)

    def _message(self) -> tuple[str, Any]:
        (size,) = _HEADER.unpack(self._read(_HEADER.size))
        return _CellUnpickler(io.BytesIO(self._read(size))).load()

    def _read(self, size: int) -> bytes:
        chunks, missing = [], size
        while missing:
            deadline = time.monotonic() + STALL_SECONDS
            ready, _, _ = select.select([self.fd], [], [], max(0.0, deadline - time.monotonic()))
            if not ready:
                raise ReaderFailed("the workbook reader stalled")
            chunk = os.read(self.fd, min(missing, 1 << 20))
            if not chunk:
                raise ReaderFailed("the workbook reader stopped")
            chunks.append(chunk)
            missing -= len(chunk)
        return b"".join(chunks)
