"""The importer's way of writing: a whole import in record-id order, in one transaction.

``Writer`` applies one push at a time: it loads the record's document, changes
it, re-indexes it and stores it again. An import of a million records done that
way decodes and re-encodes documents over and over and puts every entry on a
random page of a B-tree far larger than what LMDB keeps dirty in memory, so
pages are spilled and re-spilled (tens of GB written for a 4 GB index).

``BulkWriter`` writes exactly what ``Writer`` would write for the same rows
applied in this order: for each record id in ascending order, the record's
versions (file order), then the events that name it (file order). Per new
record it:

* takes a ``Prepared`` record: everything that depends on the record alone
  (its JSON, parties, index keys, tags, the party half of its cards),
  computed once, possibly in another process (``prepare_record``); what a
  new record pushed once without events is written as comes ready-made from
  another process too (``plain_parts``, ``write_plain``), and so may a whole
  record's entries (``GroupComputer``, ``apply``);
* keeps the record's document in memory while its versions and events are
  applied, and encodes it once, from those parts;
* replays the lifecycle once per version or event (a record without events
  shares its timeline with every record of the same dates);
* appends the ``records``, ``history``, ``cards`` and ``feed`` entries at the
  right edge of their B-trees (``MDB_APPEND``, thousands at a time: pages are
  filled and written once), and keeps the postings (or takes them sorted:
  ``add_run``) and the wake-up and deadline keys until the end, where they go
  in key order.

A record already in the index when the import starts goes through ``Writer``
itself (re-imports and updates are the rare case; what they change is spread
over the whole index anyway).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import Any, NamedTuple

from shixin.errors import FailedPrecondition, NotFound, ShixinError
from shixin.lifecycle import Event, Replay, Status, TransitionError, open_deadlines
from shixin.lifecycle import parse_event as parse_event_obj
from shixin.lifecycle.machine import _advance, _check_dates, _fold, _step
from shixin.lifecycle.window import ActiveWindow, timeline_of
from shixin.lifecycle.window import status_in as timeline_status
from shixin.records import ListRecord, record_id_for
from shixin.store.cards import card_head, card_tail, party_facts, tag_of
from shixin.store.documents import Party, document_parties, dumps, encode, status_of
from shixin.store.keys import record_index_keys
from shixin.store.layout import party_key, posting, seq_bytes
from shixin.store.writer import (
    Writer,
    _defining,
    _event_json,
    utc_now,
    wake_day_for,
)

_SEP = "\x1f"
STAMP_EVERY = 1024
"""Groups between two readings of the clock for ``received_at`` / ``recorded_at``."""
PUT_BATCH = 4096
"""Entries appended with one ``putmulti`` (see ``BulkWriter._put``)."""
RUN_POSTINGS = 1 << 20
"""Postings sorted at a time (see ``BulkWriter.finish``)."""


class Prepared(NamedTuple):
    """What a new record's entries need of the record alone (see ``prepare_record``).

    Plain strings and bytes, so that it is cheap to send between processes.
    """

    rid: str
    text: str
    """The record in interchange form, as JSON: the document's ``r`` and the history's
    ``record``."""
    head: str
    """The document's ``"id":…,"ix":…,"key":…``."""
    parties: str
    """The document's ``"p":…,"pr":…`` (its ``"r"`` is ``text``)."""
    tags: str
    """The document's ``"tg":…``."""
    published_on: int
    expires_on: int
    """Day ordinals; 0: no end date."""
    public: bool
    case_number: str
    court: str
    debtor: tuple[str, str, str]
    """Kind, name and ID number of the debtor as pushed (every card repeats them)."""
    tails: tuple[str, ...]
    """The party half of each party's card."""
    postings: tuple[bytes, ...]
    """Index key, NUL, posting. (``spooled`` leaves them out: ``unspooled`` makes them
    again.)"""

    def spooled(self) -> tuple[Any, ...]:
        """The fields to store (``marshal``), without the postings: the importer has
        them in sorted runs, and needs them again only for a record pushed twice."""
        return (*self[:-1], ())


def unspooled(fields: Sequence[Any]) -> Prepared:
    """``Prepared.spooled``'s inverse: the postings made again from the document's
    ``ix`` and ``tg``."""
    prep = Prepared._make(fields)
    keys = json.loads(f"{{{prep.head}}}")["ix"]
    tags = json.loads(f"{{{prep.tags}}}")["tg"]
    ends = [b"\0" + posting(prep.rid, i, bytes.fromhex(tag)) for i, tag in enumerate(tags)]
    return prep._replace(postings=tuple(k.encode() + ends[party] for k, party in keys))


Plain = tuple[bytes, bytes, bytes, tuple[bytes, ...], tuple[bytes, bytes] | tuple[()], bytes]
"""What a new record pushed once and without events (most records of a list) is
written as (``plain_parts``, ``BulkWriter.write_plain``): its record id, its history
entry between the timestamp and the sequence number, its document, its cards, its
feed entry around the timestamp and the sequence number (empty: none), its wake-up
key (empty: none)."""

PARTY_CACHE_SIZE = 1 << 16
"""Parties whose tag and card half are remembered (see ``_party_parts``)."""


@lru_cache(maxsize=PARTY_CACHE_SIZE)
def _party_parts(index: int, role: str, kind: str, name: str, raw: str, compact: str,
                 id_kind: str, valid: bool, pushed_gender: str) -> tuple[bytes, str, str]:
    """A party's posting tag (and as the document's JSON) and card half: the same party
    comes back in each of its records (a debtor's cases, an organisation's officers).
    Keyed by the ``Party`` fields, not a ``Party``: most calls hit, and building and
    hashing a frozen dataclass cost more than the rest of a hit."""
    party = Party(index, role, kind, name, raw, compact, id_kind, valid)
    birth, region, gender = party_facts(party, pushed_gender)
    tag = tag_of(party, birth, region)
    return tag, f'"{tag.hex()}"', card_tail(party, birth, region, gender)


def prepare_record(record: ListRecord) -> Prepared:
    """The parts of a record's entries that depend on the record alone.

    The same functions as ``Writer.put_record`` build them: ``document_parties``,
    ``record_index_keys``, the tags and ``card_tail``; the resident ID's facts
    are read once per party for both its tag and its card. Fields are encoded
    with as few ``encode`` calls as give the same text: an import does this a
    million times.
    """
    key = record.key
    rid = record_id_for(key)
    r = record.to_json()
    text = encode(r)
    parties = document_parties(record)
    keys = record_index_keys(record)
    debtor = r["debtor"]
    pushed_gender = str(debtor.get("gender", ""))
    tags: list[bytes] = []
    tags_json: list[str] = []
    tails: list[str] = []
    for i, (role, kind, name, raw, compact, id_kind, valid) in enumerate(parties):
        # (``party_facts`` reads the pushed gender for the debtor only.)
        tag, tag_json, tail = _party_parts(i, role, kind, name, raw, compact, id_kind, valid,
                                           pushed_gender if i == 0 else "")
        tags.append(tag)
        tags_json.append(tag_json)
        tails.append(tail)
    # A record id is hex: its JSON is the text in quotes.
    head = f'"id":"{rid}","ix":{encode(keys)},"key":{encode(key)}'
    problems = encode(list(record.id_problems)) if record.id_problems else "[]"
    parties_json = f'"p":{encode(parties)},"pr":{problems}'
    tags_field = f'"tg":[{",".join(tags_json)}]'
    # Index key, NUL, posting (``layout.posting``) of each (key, party).
    ends = [b"\0" + posting(rid, i, tag) for i, tag in enumerate(tags)]
    postings = tuple(k.encode() + ends[party] for k, party in keys)
    return Prepared(
        rid, text, head, parties_json, tags_field, record.published_on.toordinal(),
        record.expires_on.toordinal() if record.expires_on else 0, record.public,
        record.case_number, record.court,
        (str(debtor["kind"]), debtor["name"], debtor.get("id_number", "")),
        tuple(tails), postings)


class _Line(NamedTuple):
    """A record's timeline as the document stores it, and what the cards read of it."""

    stored: list[Any]
    text: str
    window: ActiveWindow


def _line(published_on: date, expires_on: date | None, folded: Replay, start: date) -> _Line:
    line = timeline_of(published_on, expires_on, folded, start)
    stored = line.to_json()
    return _Line(stored, encode(stored), line.window())


@lru_cache(maxsize=1 << 17)
def _plain_line(published_on: date, expires_on: date | None) -> _Line:
    """The timeline of a record without events: one per pair of dates."""
    return _line(published_on, expires_on, Replay(expires_on=expires_on), date.min)


@lru_cache(maxsize=1 << 17)
def _plain(published_on: date, expires_on: date | None, today: date) -> tuple[_Line, Status]:
    """The timeline and today's status of a record without events: one per pair of dates."""
    line = _plain_line(published_on, expires_on)
    after = timeline_status(line.stored, today)
    if after is None:  # not reached: a timeline without events holds from the start
        after = status_of(published_on, expires_on, (), today)
    return line, after


def _day_key(day: date, rid: str) -> str:
    """``layout.day_key`` as text (strftime is slow)."""
    return f"{day.year:04d}{day.month:02d}{day.day:02d}{rid}"


class _Record:
    """A new record's document while its versions and events are applied."""

    __slots__ = ("after", "dates", "deactivations", "entries", "events", "folded", "live",
                 "open_requests", "periods", "prep", "versions")

    def __init__(self, prep: Prepared) -> None:
        self.prep = prep
        self.dates = (date.fromordinal(prep.published_on),
                      date.fromordinal(prep.expires_on) if prep.expires_on else None)
        self.entries: list[dict[str, Any]] = []
        self.events: tuple[Event, ...] = ()
        self.folded: Replay | None = None
        """``machine._fold`` of the events: the machine after the last one (None: no
        events yet, the machine as it starts; most records never need it)."""
        self.versions = 0
        self.live: bool | None = None
        self.periods: int | None = None
        self.deactivations: list[int] | None = None
        self.after: Status | None = None
        self.open_requests = False
        """Whether today's replay has a pending request or a performance (deadlines)."""

    def new_version(self, prep: Prepared) -> None:
        """The record pushed again, changed: its events stay, its dates may move."""
        self.prep = prep
        self.dates = (date.fromordinal(prep.published_on),
                      date.fromordinal(prep.expires_on) if prep.expires_on else None)
        self.folded = _fold(*self.dates, self.events, date.max)

    def line(self) -> _Line:
        """The timeline ``Writer._settle`` stores."""
        published_on, expires_on = self.dates
        if not self.events:
            return _plain_line(published_on, expires_on)
        return _line(published_on, expires_on, self.fold(), self.events[-1].effective_on)

    def fold(self) -> Replay:
        """``folded``, made if need be."""
        if self.folded is None:
            self.folded = Replay(expires_on=self.dates[1])
        return self.folded


def _feed_entry(prep: Prepared, after: Status, period: int, seq: int, stamp: str,
                today: date) -> bytes:
    """``Writer._report``'s feed entry: ``dumps`` of its fields, written out in ``dumps``'s
    key order (nearly every record of a list gets one; building and sorting the dict
    cost more than the rest of it)."""
    day = today.isoformat()
    kind = "activated" if after.active else "deactivated"
    return (f'{{"case_number":{encode(prep.case_number)},"court":{encode(prep.court)},'
            f'"effective_on":"{after.since.isoformat()}","kind":"{kind}","known_on":"{day}",'
            f'"period":{int(period)},"public":{"true" if prep.public else "false"},'
            f'"reason":{encode(after.reason or after.state.value)},'
            f'"recorded_at":{encode(stamp)},"recorded_on":"{day}","rid":{encode(prep.rid)},'
            f'"seq":{int(seq)}}}').encode()


def _assemble(rec: _Record, today: date) -> tuple[bytes, list[bytes], bytes, list[bytes]]:
    """What ``Writer._settle`` stores for a record: its document, its cards, its wake-up
    key (empty: none) and deadline keys."""
    prep, line, after = rec.prep, rec.line(), rec.after
    assert after is not None
    rid = prep.rid
    published_on, expires_on = rec.dates
    wake = wake_day_for(published_on, after, today)
    wk = _day_key(wake, rid) if wake is not None else None
    dk: list[str] = []
    if rec.events and rec.open_requests:
        dk = sorted({_day_key(d.due_on, rid) for d in
                     open_deadlines(published_on, expires_on, rec.events, today)})
    parts = [f'{{"dk":{encode(dk)}']
    if rec.deactivations is not None:
        parts.append(f'"ds":{encode(rec.deactivations)}')
    parts.append(f'"e":{encode(rec.entries)}')
    parts.append(prep.head)
    if rec.live is not None:
        parts.append('"live":true' if rec.live else '"live":false')
    if rec.periods is not None:
        parts.append(f'"nd":{rec.periods}')
    parts.append(f'{prep.parties},"r":{prep.text},{prep.tags}')
    parts.append(f'"tl":{line.text}')
    parts.append(f'"v":{rec.versions}')
    parts.append(f'"wk":{encode(wk) if wk is not None else "null"}}}')
    head = card_head(prep.public, date.fromordinal(prep.published_on).isoformat(),
                     line.window, prep.case_number, prep.court, *prep.debtor,
                     bool(rec.live), rec.periods or 0, line.text)
    return (",".join(parts).encode(), [f"{head}{_SEP}{tail}".encode() for tail in prep.tails],
            wk.encode() if wk is not None else b"", [k.encode() for k in dk])


def plain_parts(prep: Prepared, today: date) -> Plain:
    """What ``write_group`` writes for ``prep`` alone, new, without events
    (``BulkWriter.write_plain`` adds the sequence numbers and timestamps)."""
    rec = _Record(prep)
    rec.versions = 1
    after = rec.after = _plain(*rec.dates, today)[1]
    feed: tuple[bytes, bytes] | tuple[()] = ()
    if after.active:
        rec.live = True
        entry = _feed_entry(prep, after, 0, 0, "", today)
        head, tail = entry.split(b'"recorded_at":""', 1)
        assert tail.endswith(b'"seq":0}')
        feed = (head + b'"recorded_at":"', b'"' + tail[:-2])
    doc, cards, wake, _ = _assemble(rec, today)
    history = f'","record":{prep.text},"seq":'.encode()
    return prep.rid.encode(), history, doc, tuple(cards), feed, wake


class BulkWriter:
    """Writes an import's new records in record-id order; see the module docstring.

    Use ``write_group`` for each record id in ascending order, then ``finish``.
    """

    def __init__(self, writer: Writer) -> None:
        self.writer: Writer | None = writer
        self.runs: list[list[bytes]] = []
        self.txn = writer.txn
        self.db = writer.db
        self.today = writer.today
        self._today_iso = writer.today.isoformat()
        self.principal = encode(writer.principal)
        self.principal_raw = writer.principal
        self.feed_added = 0
        # Keys above the highest one present when the import began may be appended.
        self.top: dict[str, bytes] = {}
        for name in ("records", "history", "cards", "feed", "ix"):
            with self.txn.cursor(db=self.db[name]) as cur:
                self.top[name] = bytes(cur.key()) if cur.last() else b""
        self.postings: list[bytes] = []
        self.wake: list[bytes] = []
        self.due: list[bytes] = []
        self._groups = 0
        self._stamp = ""
        self._stamp_bytes = b""
        self._history_head = f'{{"pushed_by":{self.principal},"received_at":"'.encode()
        self._batch: dict[str, list[tuple[bytes, bytes]]] = {name: [] for name in self.top}
        self._batched = 0
        self.foreign_runs: list[list[bytes]] = []
        self.foreign_excluded: set[bytes] = set()
        self._read_counters()

    # -- counters ---------------------------------------------------------
    def _read_counters(self) -> None:
        meta = self.db["meta"]
        self.hist_seq = int(self.txn.get(b"hist_seq", db=meta) or 0)
        self.feed_seq = int(self.txn.get(b"feed_seq", db=meta) or 0)
        self._counted = (self.hist_seq, self.feed_seq)

    def _write_counters(self) -> None:
        meta = self.db["meta"]
        if self.hist_seq != self._counted[0]:
            self.txn.put(b"hist_seq", str(self.hist_seq).encode(), db=meta)
        if self.feed_seq != self._counted[1]:
            self.txn.put(b"feed_seq", str(self.feed_seq).encode(), db=meta)
        self._counted = (self.hist_seq, self.feed_seq)

    def exists(self, rid: str) -> bool:
        """Whether the index holds the record (new records take the fast path)."""
        return bool(self.top["records"]) and \
            self.txn.get(rid.encode(), db=self.db["records"]) is not None

    def through_writer(self) -> Writer:
        """``Writer``, in step with this writer's counters, for a record that exists.

        Call ``back_from_writer`` when done with it.
        """
        assert self.writer is not None, "a GroupComputer has no index to write"
        self._flush()
        self._write_counters()
        return self.writer

    def back_from_writer(self) -> None:
        """Take over the counters ``Writer`` advanced."""
        self._read_counters()

    def _put(self, name: str, key: bytes, value: bytes) -> None:
        """Put an entry: one above what the index held goes in the next batch appended
        at the right edge (``_flush``), another goes in now."""
        if key > self.top[name]:
            self._batch[name].append((key, value))
            self._batched += 1
            if self._batched >= PUT_BATCH:
                self._flush()
            return
        self.txn.put(key, value, db=self.db[name])

    def _flush(self) -> None:
        """Append the batched entries (``putmulti``: one call for thousands of puts).

        Should one not come after the last key of its database (which this
        writer's order rules out), the batch is put again without appending:
        puts of the same entries, so the result is the same.
        """
        for name, batch in self._batch.items():
            if not batch:
                continue
            with self.txn.cursor(db=self.db[name]) as cur:
                _, added = cur.putmulti(batch, append=True)
            if added != len(batch):
                for key, value in batch:
                    self.txn.put(key, value, db=self.db[name])
            batch.clear()
        self._batched = 0

    # -- one record -------------------------------------------------------
    def write_group(self, versions: Sequence[Prepared], events: Sequence[Mapping[str, Any]],
                    ) -> tuple[list[str | ShixinError], list[bool | ShixinError]]:
        """Apply a new record's versions, then the events that name it.

        Returns, for each version, "added", "updated" or "unchanged", and for each
        event whether it was applied (False: already in the history) or why not.
        """
        self._groups += 1
        if self._groups % STAMP_EVERY == 1:
            self._stamp = utc_now()
        rec: _Record | None = None
        done_versions: list[str | ShixinError] = []
        for prep in versions:
            if rec is not None and rec.prep.text == prep.text:
                done_versions.append("unchanged")
                continue
            if rec is None:
                rec = _Record(prep)
                done_versions.append("added")
            else:
                done_versions.append("updated")
                rec.new_version(prep)
            rec.versions += 1
            self.hist_seq += 1
            self._put("history", prep.rid.encode() + seq_bytes(self.hist_seq),
                      (f'{{"pushed_by":{self.principal},"received_at":"{self._stamp}",'
                       f'"record":{prep.text},"seq":{self.hist_seq},"type":"version"}}'
                       ).encode())
            self._settle(rec)
        done_events: list[bool | ShixinError] = []
        for obj in events:
            if rec is None:
                done_events.append(NotFound("no record for this event",
                                            reason="UNKNOWN_RECORD"))
                continue
            try:
                done_events.append(self._event(rec, obj))
            except ShixinError as exc:
                done_events.append(exc)
        if rec is not None:
            self._store(rec)
        return done_versions, done_events

    def _event(self, rec: _Record, obj: Mapping[str, Any]) -> bool:
        """``Writer.put_event`` for a record in memory.

        ``check_transition`` folds the history up to the event's day, then steps;
        every accepted event is on or after the previous ones, so that fold is the
        one kept from the previous event (``_Record.folded``).
        """
        event = parse_event_obj(obj)
        entry = _event_json(obj)
        if any(_defining(existing) == entry for existing in rec.entries):
            return False
        published_on = rec.dates[0]
        try:
            _check_dates(rec.events, event, self.today)
            folded = _step(_advance(rec.fold(), published_on, event.effective_on, event.type),
                           event)
        except TransitionError as exc:
            raise FailedPrecondition(exc.message, reason=exc.reason, field="event") from None
        self.hist_seq += 1
        entry.update(seq=self.hist_seq, received_at=self._stamp,
                     pushed_by=self.principal_raw)
        rec.entries.append(entry)
        # ``parse_event(entry)``, as ``StoredRecord.events`` reads it back: the same
        # event without the row's arrival bookkeeping.
        rec.events = (*rec.events, Event(event.type, event.effective_on, event.reason,
                                         event.expires_on))
        rec.folded = folded
        self._put("history", rec.prep.rid.encode() + seq_bytes(self.hist_seq),
                  dumps({"type": "event", **entry}))
        self._settle(rec)
        return True

    def _settle(self, rec: _Record) -> None:
        """``Writer._settle`` up to the feed: the status today and its change, if any.

        ``Writer`` reads the status off the timeline it stores; from the last
        event on, that is the replay's (``lifecycle.window``), which the fold
        kept here gives without replaying.
        """
        published_on, expires_on = rec.dates
        if rec.events:
            now = _advance(rec.fold(), published_on, self.today, None)
            rec.open_requests = now.pending is not None or now.performed_on is not None
            after = now.status(self.today)
        else:
            after = _plain(published_on, expires_on, self.today)[1]
        rec.after = after
        if after.active == bool(rec.live):
            return
        prep = rec.prep
        period = rec.periods or 0
        self.feed_seq += 1
        self._put("feed", seq_bytes(self.feed_seq),
                  _feed_entry(prep, after, period, self.feed_seq, self._stamp, self.today))
        self.feed_added += 1
        rec.live = after.active
        if not after.active:
            rec.periods = period + 1
            rec.deactivations = [*(rec.deactivations or []), self.feed_seq]

    def _store(self, rec: _Record) -> None:
        """The rest of ``Writer._settle``, once: indexes, document, cards."""
        doc, cards, wake, due = _assemble(rec, self.today)
        rid = rec.prep.rid
        if wake:
            self.wake.append(wake)
        self.due.extend(due)
        self._put("records", rid.encode(), doc)
        for i, card in enumerate(cards):
            self._put("cards", party_key(rid, i), card)
        self._add_postings(rec.prep.postings)

    def _add_postings(self, postings: tuple[bytes, ...]) -> None:
        self.postings.extend(postings)
        if len(self.postings) >= RUN_POSTINGS:
            run, self.postings = self.postings, []
            run.sort()
            self.runs.append(run)

    def write_plain(self, plain: Plain) -> None:
        """``write_group`` of a new record pushed once, without events, from what
        ``plain_parts`` made of it: this adds the timestamps and sequence numbers.

        Its postings are not written here: they come in a sorted run (``add_run``).
        """
        rid, history, doc, cards, feed, wake = plain
        self._groups += 1
        if self._groups % STAMP_EVERY == 1:
            self._stamp = utc_now()
            self._stamp_bytes = self._stamp.encode()
        stamp = self._stamp_bytes
        self.hist_seq += 1
        self._put("history", rid + seq_bytes(self.hist_seq),
                  b'%s%s%s%d,"type":"version"}' % (self._history_head, stamp, history,
                                                   self.hist_seq))
        if feed:
            self.feed_seq += 1
            self._put("feed", seq_bytes(self.feed_seq),
                      b"%s%s%s%d}" % (feed[0], stamp, feed[1], self.feed_seq))
            self.feed_added += 1
        if wake:
            self.wake.append(wake)
        self._put("records", rid, doc)
        for i, card in enumerate(cards):
            self._put("cards", party_key(rid.decode(), i), card)

    def apply(self, computed: Computed) -> None:
        """Write what a ``GroupComputer`` computed, with this writer's sequence numbers."""
        _, _, puts, wake, due, postings, feed_added, hist_used, feed_used = computed
        self._groups += 1
        hist, feed = self.hist_seq - HIST_BASE, self.feed_seq - FEED_BASE

        def ds(m: re.Match[bytes]) -> bytes:  # a new record's: every one is a placeholder
            return b'"ds":[' + b",".join(
                b"%d" % (int(x) + feed) for x in m.group(1).split(b",") if x) + b"]"

        for name, key, value in puts:
            if name == "history":
                seq = int.from_bytes(key[-8:], "big")
                key = key[:-8] + seq_bytes(seq + hist)
                value = value.replace(b'"seq":%d' % seq, b'"seq":%d' % (seq + hist), 1)
            elif name == "feed":
                seq = int.from_bytes(key, "big")
                key = seq_bytes(seq + feed)
                value = value.replace(b'"seq":%d' % seq, b'"seq":%d' % (seq + feed), 1)
            elif name == "records":
                if hist_used:
                    value = _HIST_SEQ.sub(lambda m: b'"seq":%d' % (int(m.group(1)) + hist), value)
                if feed_used:
                    value = _DS.sub(ds, value, 1)
            self._put(name, key, value)
        self.hist_seq += hist_used
        self.feed_seq += feed_used
        self.feed_added += feed_added
        self.wake.extend(wake)
        self.due.extend(due)
        self._add_postings(postings)

    # -- the end ----------------------------------------------------------
    def add_run(self, run: list[bytes]) -> None:
        """Postings sorted elsewhere (the importer's workers sort each part of the input's).

        ``write_plain`` leaves a record's postings to these runs; so may
        ``write_group`` (``GroupComputer.compute`` without ``postings``). Those of the
        records named by ``exclude`` are left out.
        """
        self.foreign_runs.append(run)

    def exclude(self, rid: str) -> None:
        """Leave the record's postings in ``add_run``'s runs out (they are not what is
        written for it: an earlier version's, or those of a record in the index)."""
        self.foreign_excluded.add(rid.encode())

    def _foreign_postings(self) -> Iterator[list[bytes]]:
        excluded = self.foreign_excluded
        for run in self.foreign_runs:
            # The record id is the posting's bytes 7-23 (tag, record id, party).
            yield [p for p in run if p[-18:-2] not in excluded] if excluded else run
        self.foreign_runs = []

    def finish(self) -> None:
        """Write the postings, wake-up and deadline keys (in key order) and the counters."""
        self._flush()
        self._write_counters()
        txn = self.txn
        for name, keys in (("wake", self.wake), ("due", self.due)):
            keys.sort()
            with txn.cursor(db=self.db[name]) as cur:
                cur.putmulti([(k, b"") for k in keys])
        self.wake, self.due = [], []
        # Sorted runs, one after the other, then sorted again: Timsort merges them.
        postings: list[bytes] = []
        for run in self._foreign_postings():
            postings.extend(run)
        for run in self.runs:
            postings.extend(run)
        self.runs = []
        postings.extend(self.postings)
        self.postings = []
        postings.sort()
        top = self.top["ix"]
        # Keys above the highest one already there go at the right edge (all of them
        # in a new index); the others are inserted.
        inside: list[bytes] = [p for p in postings if p[:-26] <= top] if top else []
        above = [p for p in postings if p[:-26] > top] if top else postings
        with txn.cursor(db=self.db["ix"]) as cur:
            cur.putmulti(_split(inside), dupdata=True)
            consumed, added = cur.putmulti(_split(above), dupdata=True, append=True)
        if consumed != added:  # out of order (a NUL inside a key): put those normally
            with txn.cursor(db=self.db["ix"]) as cur:
                cur.putmulti(_split(above), dupdata=True)


_INDEX_KEY = itemgetter(slice(None, -26))
_POSTING = itemgetter(slice(-25, None))


def _split(postings: Sequence[bytes]) -> Iterator[tuple[bytes, bytes]]:
    """(index key, posting) of each packed posting (key, NUL, 25-byte posting); in C,
    not a generator: it runs once per posting, ~9 million times at 1M records."""
    return zip(map(_INDEX_KEY, postings), map(_POSTING, postings), strict=True)


# -- a new record's group, computed in another process ---------------------------
HIST_BASE = 7 * 10**18
FEED_BASE = 8 * 10**18
"""Sequence numbers a ``GroupComputer`` writes in place of the real ones: the
importer's process, which knows the real ones, puts them in (``BulkWriter.apply``).
Nothing else in an entry looks like ``"seq":7…`` or ``"ds":[…]`` (user text is in
JSON strings, where a ``"`` is escaped)."""
_HIST_SEQ = re.compile(rb'"seq":(7\d{18})\b')
_DS = re.compile(rb'"ds":\[([0-9,]*)\]')

Computed = tuple[list[str], list[str | bool], list[tuple[str, bytes, bytes]], list[bytes],
                 list[bytes], tuple[bytes, ...], int, int, int]
"""``GroupComputer.compute``'s result: each version's outcome ("added", "updated",
"unchanged"), each event's (True: applied, False: already there, text: why not), the
entries to put (with placeholder sequence numbers), wake-up keys, deadline keys,
postings, feed entries added, history and feed sequence numbers used."""


class GroupComputer(BulkWriter):
    """``BulkWriter.write_group`` without the index: what a new record's group writes,
    with placeholder sequence numbers (``HIST_BASE``, ``FEED_BASE``), for another process
    to put in (``BulkWriter.apply``)."""

    def __init__(self, today: date, principal: str) -> None:
        self.writer = None
        self.runs = []
        self.today = today
        self._today_iso = today.isoformat()
        self.principal = encode(principal)
        self.principal_raw = principal
        self.feed_added = 0
        self.postings = []
        self.wake = []
        self.due = []
        self._groups = 0
        self._stamp = ""
        self.puts: list[tuple[str, bytes, bytes]] = []

    def _put(self, name: str, key: bytes, value: bytes) -> None:
        self.puts.append((name, key, value))

    def _add_postings(self, postings: tuple[bytes, ...]) -> None:
        self.postings.extend(postings)

    def compute(self, versions: Sequence[Prepared], events: Sequence[Mapping[str, Any]],
                postings: bool = True) -> Computed:
        """``write_group``'s entries; without its postings unless ``postings`` (the
        importer has those of a record pushed once in a sorted run already)."""
        self.hist_seq, self.feed_seq, self.feed_added = HIST_BASE, FEED_BASE, 0
        self.puts, self.wake, self.due, self.postings = [], [], [], []
        done_versions, done_events = self.write_group(versions, events)
        return ([v if isinstance(v, str) else "!" + str(v) for v in done_versions],
                [e if isinstance(e, bool) else str(e) for e in done_events],
                self.puts, self.wake, self.due, tuple(self.postings) if postings else (),
                self.feed_added, self.hist_seq - HIST_BASE, self.feed_seq - FEED_BASE)
