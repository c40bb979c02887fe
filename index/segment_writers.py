"""Whoosh segments written in worker processes, so that a large add's main process does little
more than the catalog and the commit of the index's table of contents.

The main process decides ids (sync.py) and sends each article's ready-made terms (pickled by
the ingest worker that computed them, passed on unread) to one of these writers, a batch at a
time. Each writer builds a segment of its own in the index folder; `finish` hands the segments
back, and the main process commits them with one table of contents (search_view.py). Until
that commit no reader sees them, and a killed add leaves only files that no table of contents
names (deleted at the next commit).

Merging is never done after the add's own documents: one writer first copies the old segments
that a merge policy picks (small ones) into its segment, so the index does not grow a segment
per add, while the cost runs in parallel with the add's own work.
"""

from __future__ import annotations

import os
import pickle
import traceback
from collections.abc import Iterable
from multiprocessing import get_context
from pathlib import Path

BATCH = 32  # documents per message: fewer, larger messages
QUEUED_BATCHES = 4  # per writer: the main process waits rather than piling documents up
PROCESS_NAME = "nr-segment"


class SegmentWriters:
    """`count` writer processes for the index in `folder`; `merging` names old segments (by
    segment id) that the first writer copies into its own before the add's documents."""

    def __init__(self, folder: Path, count: int, *, compression: int, merging: Iterable[str] = ()):
        from .processes import start_method, stderr_with_a_descriptor

        with stderr_with_a_descriptor():  # multiprocessing's helper needs a real stderr (the app's has none)
            self._start(folder, count, compression, merging, start_method())

    def _start(self, folder, count, compression, merging, method) -> None:
        context = get_context(method)
        parent = os.getpid() if method == "fork" else None
        self._results = context.Queue()
        self._inboxes = [context.Queue(QUEUED_BATCHES) for _ in range(count)]
        self._processes = [
            context.Process(target=_serve, name=f"newsreader-segment-{number}", daemon=True,
                            args=(str(folder), number, inbox, self._results, (parent, os.getpid()), compression,
                                  list(merging) if number == 0 else []))
            for number, inbox in enumerate(self._inboxes)]
        for process in self._processes:
            process.start()
        self._batches: list[list] = [[] for _ in range(count)]
        self._counts = [0] * count  # documents sent to each writer: the next one's number in its segment
        self._next = 0
        self.merging = list(merging)

    def add(self, doc: dict, terms: bytes) -> tuple[int, int]:
        """Send one document (fields, and the pickled terms of its text fields); returns where it
        goes: (writer, how many documents that writer was sent before it)."""
        writer = self._next
        self._next = (self._next + 1) % len(self._inboxes)
        batch = self._batches[writer]
        batch.append((doc, terms))
        place = (writer, self._counts[writer])
        self._counts[writer] += 1
        if len(batch) >= BATCH:
            self._send(writer)
        return place

    def _send(self, writer: int) -> None:
        batch, self._batches[writer] = self._batches[writer], []
        if batch:
            self._put(writer, ("docs", batch))

    def _put(self, writer: int, message) -> None:
        inbox = self._inboxes[writer]
        while True:
            try:
                inbox.put(message, timeout=1.0)
                return
            except Exception:  # queue.Full: the writer is busy; make sure it is still alive
                if not self._processes[writer].is_alive():
                    self._raise_failure()

    def finish(self, superseded: dict[int, list[int]], deleted_old: set[str]) -> list:
        """The writers' segments, with the documents `superseded` ({writer: [numbers]}) marked
        deleted, and, in the first writer's segment, the copied documents whose ids were deleted
        from the old segments during the add (`deleted_old`)."""
        for writer in range(len(self._inboxes)):
            self._send(writer)
            self._put(writer, ("finish", sorted(superseded.get(writer, ())),
                               sorted(deleted_old) if writer == 0 and self.merging else []))
        segments: list = [None] * len(self._inboxes)
        pending = set(range(len(self._inboxes)))
        while pending:
            try:
                kind, writer, payload = self._results.get(timeout=1.0)
            except Exception:  # queue.Empty
                if any(not self._processes[w].is_alive() for w in pending):
                    self._raise_failure(pending)
                continue
            if kind == "error":
                self.cancel()
                _raise(payload)
            segments[writer] = payload
            pending.discard(writer)
        for process in self._processes:
            process.join()
        return [segment for segment in segments if segment is not None]

    def _raise_failure(self, among=None) -> None:
        """A writer died or failed: raise what it said (a full disk, ...), or that it died."""
        try:
            while True:
                kind, _writer, payload = self._results.get(timeout=0.2)
                if kind == "error":
                    self.cancel()
                    _raise(payload)
        except Exception as exc:  # queue.Empty, or the error raised just above
            if not exc.__class__.__name__ == "Empty":
                raise
        self.cancel()
        raise RuntimeError("a process writing the search index stopped unexpectedly")

    def cancel(self) -> None:
        """Stop every writer; their half-written files are deleted by the caller's clean-up."""
        for process in self._processes:
            if process.is_alive():
                process.kill()
        for process in self._processes:
            process.join()
        for queue in (*self._inboxes, self._results):
            queue.cancel_join_thread()  # never wait to flush messages nobody will read
            queue.close()


def _raise(payload) -> None:
    error, text = payload
    if isinstance(error, BaseException):
        raise error
    raise RuntimeError(f"writing the search index failed:\n{text}")


def _name_process(name: str) -> None:
    """What `ps` and /proc/PID/comm show for a writer (Linux; elsewhere nothing)."""
    try:
        import ctypes

        PR_SET_NAME = 15
        ctypes.CDLL(None).prctl(PR_SET_NAME, name.encode()[:15], 0, 0, 0)
    except (OSError, AttributeError):
        pass


def _serve(folder: str, number: int, inbox, results, watch: tuple, compression: int,
           merging: list[str]) -> None:
    """A writer process: add documents to a segment of its own until told to finish."""
    from .processes import worker_started

    worker_started(*watch)  # (its parent if forked directly, the add's process)
    _name_process(PROCESS_NAME)
    writer = None
    try:
        from whoosh import index as whoosh_index
        from whoosh.codec.whoosh3 import W3Codec
        from whoosh.reading import SegmentReader

        from .bulk_segment import BulkSegmentWriter

        ix = whoosh_index.open_dir(folder)
        # Its scratch files go into the index's MAIN.tmp with random names, beside the other
        # writers'; the main process's writer deletes that folder when it commits or cancels.
        writer = BulkSegmentWriter(ix, _lk=False, split=True, codec=W3Codec(compression=compression))
        copied: dict[str, int] = {}  # id -> document number, for the documents copied from old segments
        for segment in [s for s in writer.segments if s.segment_id() in set(merging)]:
            reader = SegmentReader(ix.storage, writer.schema, segment)
            start = writer.docnum  # add_reader copies the live documents in order
            for offset, docnum in enumerate(reader.all_doc_ids()):
                copied[reader.stored_fields(docnum)["id"]] = start + offset
            writer.add_reader(reader)
            reader.close()
        base = writer.docnum
        add = writer.add_document
        while True:
            message = inbox.get()
            if message[0] == "docs":
                for doc, terms in message[1]:
                    add(**doc, **pickle.loads(terms))
                continue
            _kind, superseded, deleted_old = message
            if writer._added:
                segment = writer._finalize_segment()
                for docnum in superseded:
                    segment.delete_document(base + docnum)
                for article_id in deleted_old:
                    if article_id in copied:
                        segment.delete_document(copied[article_id])
            else:
                writer._close_segment()
                segment = None
            results.put(("segment", number, segment))
            results.close()
            results.join_thread()
            return
    except BaseException as exc:  # noqa: BLE001 - reported to the main process, which raises it
        try:
            pickle.dumps(exc)
            error = exc
        except Exception:  # noqa: BLE001 - an exception that cannot travel: its text does
            error = None
        if writer is not None:
            try:
                writer._close_segment()
            except Exception:  # noqa: BLE001
                pass
        results.put(("error", number, (error, traceback.format_exc())))
        results.close()
        results.join_thread()

