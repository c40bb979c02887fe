"""A Whoosh segment written in bulk from ready-made terms.

Whoosh's SegmentWriter hands every posting to its pool one call at a time, sorts the whole
pool when it commits, then writes each posting with another call that first reads the
document's field length back from disk. For the terms `analysis` computes (about 350 postings
an article) that was 4.6 ms of CPU an article, more than reading, detecting and analysing it.

Here postings are grouped by field and term as documents arrive (they arrive in document
order, so each term's postings are already sorted), the field lengths are read once per field,
and each term's blocks and term-table row are written in one go. The files are Whoosh's W3
format: byte for byte what Whoosh writes for the same documents, but for the small blocks
this leaves uncompressed and the encoded single positions it shares between postings (a
block's pickle then holds each once) (tests/engine/test_bulk_segment.py), so every reader,
the ranking and merging work on them unchanged.
"""

from __future__ import annotations

import os
import pickle
import zlib
from array import array
from collections import Counter
from operator import sub
from pickle import dumps
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.formats import Positions
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

# A block whose pickle is shorter is not compressed: zlib made it longer (a pickle of one to
# three postings is 60-80 bytes; Whoosh compressed every block, though it meant not to).
SMALL_BLOCK = 72
# A writer process splits the writing of its postings with a forked helper from this many
# terms (about 1,000 articles): below it the fork costs more than it saves.
SPLIT_MIN_TERMS = 20_000

_FREQUENCY: dict[int, tuple[float, bytes]] = {}  # freq -> (weight, encoded value): shared objects, so a posting costs two list slots


def _frequency(freq: int) -> tuple[float, bytes]:
    found = _FREQUENCY.get(freq)
    if found is None:
        found = _FREQUENCY[freq] = (float(freq), pack_uint(freq))
    return found


_ONE_POSITION: dict[int, bytes] = {}  # position -> Whoosh's Positions encoding of that one position


def _one_position(position: int) -> bytes:
    value = _ONE_POSITION[position] = pack_uint(1) + dumps([position], 2)
    return value


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter whose documents may give a text field as a list of ready-made terms
    (see analysis.TermTokenizer: the same terms Whoosh would index for that list). Other
    values (ids, dates...) go through the field as usual. Holds the segment's postings in
    memory (Whoosh's `limitmb` pool is not used): three list slots a posting, the objects they
    point to shared, plus the encoded positions in the two fields that keep them."""

    def __init__(self, ix, split: bool = False, **kwargs):
        """`split`: write the postings in two processes at the end (a writer process of its
        own only: forking a process that runs other threads, like the app, is not safe)."""
        super().__init__(ix, **kwargs)
        self._split = split
        unsupported = [name for name, field in self.schema.items() if field.vector or field.separate_spelling()]
        if unsupported:  # Whoosh writes those beside the postings; this writer does not
            raise ValueError(f"fields with term vectors or spelling are not written in bulk: {unsupported}")
        # field name -> {term bytes: [docnum, weight, value, docnum, weight, value, ...]}
        self._table: dict[str, dict[bytes, list]] = {}

    def add_document(self, **fields):
        self._check_state()
        perdoc = self.perdocwriter
        schema = self.schema
        docnum = self.docnum
        names = sorted(name for name in fields if not name.startswith("_"))
        self._check_fields(schema, names)
        perdoc.start_doc(docnum)
        try:
            for name in names:
                value = fields[name]
                if value is None:
                    continue
                field = schema[name]
                length = 0
                if field.indexed:
                    table = self._table.get(name)
                    if table is None:
                        table = self._table[name] = {}
                    boost = self._field_boost(fields, name, self._doc_boost(fields))
                    if isinstance(value, list) and boost == 1.0 and field.format.field_boost == 1.0:
                        length = self._add_terms(table, docnum, value, isinstance(field.format, Positions))
                    else:
                        length = self._add_values(table, docnum, field, value, boost)
                    length = length if field.scorable else 0
                stored = fields.get(f"_stored_{name}", value)
                perdoc.add_field(name, field, stored if field.stored else None, length)
                if field.column_type and stored is not None:
                    perdoc.add_column_value(name, field.column_type, field.to_column_value(stored))
        except Exception:
            perdoc.cancel_doc()
            raise
        perdoc.finish_doc()
        self._added = True
        self.docnum += 1

    @staticmethod
    def _add_terms(table: dict, docnum: int, terms: list[str], positions: bool) -> int:
        """Postings of one field given as terms: what Whoosh's Frequency or Positions format
        makes of them (weight = frequency; positions as pickled deltas)."""
        if positions:
            where: dict[str, list[int]] = {}
            for position, term in enumerate(terms):
                found = where.get(term)
                if found is None:
                    where[term] = [position]
                else:
                    found.append(position)
            for term, places in where.items():
                if len(places) == 1:  # most words of an article: its encoded position is shared
                    value = _ONE_POSITION.get(places[0]) or _one_position(places[0])
                else:
                    value = pack_uint(len(places)) + dumps([places[0]] + [b - a for a, b in zip(places, places[1:], strict=False)], 2)
                entry = table.get(key := term.encode("utf-8"))
                if entry is None:
                    entry = table[key] = []
                entry.extend((docnum, _frequency(len(places))[0], value))
        else:
            for term, freq in Counter(terms).items():
                weight, value = _frequency(freq)
                entry = table.get(key := term.encode("utf-8"))
                if entry is None:
                    entry = table[key] = []
                entry.extend((docnum, weight, value))
        return len(terms)

    @staticmethod
    def _add_values(table: dict, docnum: int, field, value, boost: float) -> int:
        length = 0
        for term, freq, weight, encoded in field.index(value):
            length += freq
            entry = table.get(term)
            if entry is None:
                entry = table[term] = []
            entry.extend((docnum, weight * boost, encoded))
        return length

    def add_postings_to_pool(self, reader, startdoc, docmap):
        """Merging an old segment in (add_reader): its postings join the table, before the
        documents added after it."""
        table = self._table
        for name, term, docnum, weight, encoded in self._process_posts(reader.iter_postings(), startdoc, docmap):
            postings = table.setdefault(name, {})
            entry = postings.get(term)
            if entry is None:
                entry = postings[term] = []
            entry += (docnum, weight, encoded)

    def _flush_segment(self):
        self.perdocwriter.close()
        lengths = self.per_document_reader() if self.codec.length_stats else None
        try:
            self._write_postings(lengths)
        finally:
            if lengths is not None:
                lengths.close()
        self.fieldwriter.close()
        self._table = {}

    def _write_postings(self, lengths) -> None:
        writer = self.fieldwriter
        count = self.docnum
        fields = {}  # name -> (term-table prefix, lengths by document, the format's fixed value size)
        for name in sorted(self._table):
            if not self._table[name]:
                continue
            field = self.schema[name]
            writer.start_field(name, field)  # numbers the fields in the term table, in this order
            writer.finish_field()
            # What Whoosh's writer looks up per posting: the length (decoded from its byte) or None.
            if lengths is not None:
                of_doc = [lengths.doc_field_length(docnum, name) for docnum in range(count)]
            else:
                of_doc = [None] * count
            fields[name] = (pack_ushort(writer._fieldid), of_doc, field.format.fixed_value_size())
        work = [(name, term) for name in fields for term in sorted(self._table[name])]
        half = len(work) // 2 if self._split and len(work) >= SPLIT_MIN_TERMS and hasattr(os, "fork") else len(work)
        helper = self._write_half(work[half:], fields) if half < len(work) else None
        for key, info in self._written(writer._postfile, work[:half], fields):
            writer._tindex.add(key, info.to_bytes())
        if helper is not None:
            self._join_half(*helper)
        self._table = {}

    def _written(self, postings_file, work, fields):
        """Write the postings of `work` ((field, term) pairs in order) to `postings_file`:
        (term-table key, term info) for each."""
        limit, compression = self.codec._blocklimit, self.codec._compression
        for name, term in work:
            prefix, of_doc, fixed_size = fields[name]
            entry = self._table[name][term]
            yield prefix + term, _write_term(postings_file, entry[0::3], entry[1::3], entry[2::3], of_doc, fixed_size,
                                             limit, compression)

    def _write_half(self, work, fields):
        """Have a forked process write the postings of the second half of the terms into a
        scratch file meanwhile (the end of a large add is this one process's work otherwise,
        with the other core idle). Returns what _join_half needs."""
        name = f"{self.newsegment.segment_id()}-{os.getpid()}-half"
        postings_name, rows_name = name + ".pst", name + ".rows"
        pid = os.fork()
        if pid == 0:  # the helper: write, hand the rows over in a file, and leave without clean-up
            status = 1
            try:
                from .processes import die_with_parent

                die_with_parent()
                postings_file = self._tempstorage.create_file(postings_name)
                rows = list(self._written(postings_file, work, fields))
                postings_file.close()
                with self._tempstorage.create_file(rows_name) as out:
                    out.write(pickle.dumps(("rows", rows), protocol=pickle.HIGHEST_PROTOCOL))
                status = 0
            except BaseException as exc:  # noqa: BLE001 - handed to the parent, which raises it
                try:
                    with self._tempstorage.create_file(rows_name) as out:
                        out.write(pickle.dumps(("error", f"{type(exc).__name__}: {exc}")))
                except BaseException:  # noqa: BLE001
                    pass
            finally:
                os._exit(status)
        return pid, postings_name, rows_name

    def _join_half(self, pid: int, postings_name: str, rows_name: str) -> None:
        """Wait for the helper, append its postings to the segment's and its rows to the term
        table, their offsets moved by where its postings now start."""
        _, status = os.waitpid(pid, 0)
        storage = self._tempstorage
        try:
            kind: str = "error"
            rows: Any = f"it ended with status {status}"  # the term table's rows, or what went wrong
            if storage.file_exists(rows_name):
                with storage.open_file(rows_name) as handed:
                    kind, rows = pickle.loads(handed.read())
            if status or kind != "rows":
                raise RuntimeError(f"writing the search index failed: a process writing its postings stopped ({rows})")
            writer = self.fieldwriter
            base = writer._postfile.tell()
            with storage.open_file(postings_name) as written:
                while chunk := written.read(1 << 20):
                    writer._postfile.write(chunk)
            for key, info in rows:
                info._offset += base
                writer._tindex.add(key, info.to_bytes())
        finally:
            for name in (postings_name, rows_name):
                if storage.file_exists(name):
                    storage.delete_file(name)


def _write_term(postings, ids: list, weights: list, values: list, of_doc: list, fixed_size, limit: int,
                compression: int) -> W3TermInfo:
    """One term's postings, in W3 blocks of `limit`, and its term info (its row in the term
    table): what W3PostingsWriter writes for them, except that a block whose pickle is under
    SMALL_BLOCK bytes is not compressed (zlib made those longer)."""
    start = postings.tell()
    postings.write(WHOOSH3_HEADER_MAGIC)
    info = W3TermInfo()
    total = len(ids)
    for first in range(0, total, limit):
        block_ids = ids[first:first + limit]
        given = weights[first:first + limit]
        block_weights = array("f", given).tolist()  # as Whoosh keeps them: 32-bit floats
        deltas = tuple(map(sub, block_ids, [0, *block_ids[:-1]]))
        lowest, highest = min(block_weights), max(block_weights)
        if lowest == highest == 1.0:
            mini_weights = None
        elif lowest == highest:
            mini_weights = block_weights[0]
        else:
            mini_weights = tuple(block_weights)
        if fixed_size == 0:
            mini_values = None
        else:
            block_values = [v for v in values[first:first + limit] if v]
            mini_values = tuple(block_values) if fixed_size is None or fixed_size < 0 else b"".join(block_values)
        data = dumps((deltas, mini_weights, mini_values), 2)
        level = compression if len(data) >= SMALL_BLOCK else 0
        if level:
            data = zlib.compress(data, level)
        known = list(map(of_doc.__getitem__, block_ids))
        if not all(known):  # Whoosh leaves out the lengths it cannot tell (None, 0)
            known = [length for length in known if length]
        min_length = min(known) if known else None
        max_length = max(known) if known else 0
        max_weight = max(0, max(given))
        head = dumps((len(block_ids), block_ids[-1], max_weight, level, length_to_byte(min_length),
                      length_to_byte(max_length)), 2)
        size = len(head) + len(data)
        postings.write(pack_int(-size if first + limit >= total else size))
        postings.write(head)
        postings.write(data)
        # W3TermInfo.add_block's statistics
        info._weight += sum(block_weights)
        info._df += len(block_ids)
        info._minlength = min_length if info._minlength is None else min(info._minlength, min_length)
        info._maxlength = max(info._maxlength, max_length)
        info._maxweight = max(info._maxweight, max_weight)
    info._minid, info._maxid = ids[0], ids[-1]
    info.set_extent(start, postings.tell() - start)
    return info
