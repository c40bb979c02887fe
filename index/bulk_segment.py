"""A Whoosh segment written in bulk from ready-made terms.

Whoosh's SegmentWriter hands every posting to its pool one call at a time, sorts the whole
pool when it commits, then writes each posting with another call that first reads the
document's field length back from disk. For the terms `analysis` computes (about 350 postings
an article) that was 4.6 ms of CPU an article, more than reading, detecting and analysing it.

Here postings are grouped by field and term as documents arrive (they arrive in document
order, so each term's postings are already sorted), the field lengths are read once per field,
and each term's blocks and term-table row are written in one go. The files are Whoosh's W3
format: byte for byte what Whoosh writes for the same documents, but for the small blocks
this leaves uncompressed (tests/engine/test_bulk_segment.py), so every reader, the ranking
and merging work on them unchanged.
"""

from __future__ import annotations

import zlib
from array import array
from collections import Counter
from operator import sub
from pickle import dumps

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo
from whoosh.formats import Positions
from whoosh.system import pack_int, pack_uint, pack_ushort
from whoosh.util.numeric import length_to_byte
from whoosh.writing import SegmentWriter

# A block whose pickle is shorter is not compressed: zlib made it longer (a pickle of one to
# three postings is 60-80 bytes; Whoosh compressed every block, though it meant not to).
SMALL_BLOCK = 72

_FREQUENCY = {}  # freq -> (weight, encoded value): shared objects, so a posting costs two list slots


def _frequency(freq: int) -> tuple[float, bytes]:
    found = _FREQUENCY.get(freq)
    if found is None:
        found = _FREQUENCY[freq] = (float(freq), pack_uint(freq))
    return found


class BulkSegmentWriter(SegmentWriter):
    """A SegmentWriter whose documents may give a text field as a list of ready-made terms
    (see analysis.TermTokenizer: the same terms Whoosh would index for that list). Other
    values (ids, dates...) go through the field as usual. Holds the segment's postings in
    memory (Whoosh's `limitmb` pool is not used): three list slots a posting, the objects they
    point to shared, plus the encoded positions in the two fields that keep them."""

    def __init__(self, ix, **kwargs):
        super().__init__(ix, **kwargs)
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
                deltas = [places[0]] + [b - a for a, b in zip(places, places[1:])]
                entry = table.get(key := term.encode("utf-8"))
                if entry is None:
                    entry = table[key] = []
                entry += (docnum, _frequency(len(places))[0], pack_uint(len(places)) + dumps(deltas, 2))
        else:
            for term, freq in Counter(terms).items():
                weight, value = _frequency(freq)
                entry = table.get(key := term.encode("utf-8"))
                if entry is None:
                    entry = table[key] = []
                entry += (docnum, weight, value)
        return len(terms)

    @staticmethod
    def _add_values(table: dict, docnum: int, field, value, boost: float) -> int:
        length = 0
        for term, freq, weight, encoded in field.index(value):
            length += freq
            entry = table.get(term)
            if entry is None:
                entry = table[term] = []
            entry += (docnum, weight * boost, encoded)
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
        for name in sorted(self._table):
            postings = self._table[name]
            if not postings:
                continue
            field = self.schema[name]
            # What Whoosh's writer looks up per posting: the length (decoded from its byte) or None.
            if lengths is not None:
                of_doc = [lengths.doc_field_length(docnum, name) for docnum in range(count)]
            else:
                of_doc = [None] * count
            writer.start_field(name, field)  # numbers the field in the term table
            prefix = pack_ushort(writer._fieldid)
            fixed_size = field.format.fixed_value_size()
            for term in sorted(postings):
                entry = postings[term]
                _write_term(writer._postfile, writer._tindex, prefix + term, entry[0::3], entry[1::3], entry[2::3],
                            of_doc, fixed_size, self.codec._blocklimit, self.codec._compression)
            writer.finish_field()
            postings.clear()


def _write_term(postings, tindex, field_key: bytes, ids: list, weights: list, values: list, of_doc: list,
                fixed_size, limit: int, compression: int) -> None:
    """One term's postings, in W3 blocks of `limit`, and its row in the term table: what
    W3PostingsWriter and W3FieldWriter write for them, except that a block whose pickle is
    under SMALL_BLOCK bytes is not compressed (zlib made those longer)."""
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
    tindex.add(field_key, info.to_bytes())
