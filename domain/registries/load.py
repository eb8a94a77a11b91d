"""Loading an export into the store: new records inserted, changed ones updated with a ledger entry, unchanged
ones left alone, bad rows quarantined with their reasons. One transaction per export: all or nothing."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from collections.abc import Mapping as MappingType
from dataclasses import dataclass, field, replace
from datetime import datetime
from pathlib import Path
from typing import Any

import pandas as pd
from sqlalchemy import Connection, Engine, Table, bindparam, func, select, update

from domain.licence_types import LicenceType
from domain.registries.connectors import LINE, read_export
from domain.registries.mapping import Mapping
from domain.registries.normalise import ATTRIBUTES, DETAIL, REASON, Normalised, attribute_texts, normalise
from domain.registries.schema import EVENTS
from ground.cases.ledger import Entity, record_changes
from ground.store.tables import licence_events, licences, quarantine, subjects
from ground.store.writes import execute_in_batches, insert_frame, records, upsert

RECORD_TABLES: dict[str, Table] = {"licences": licences, "subjects": subjects}
STEPS = ("reading", "validating", "writing")
Step = Callable[[str], None]  # told each step's name as it starts, for a progress display


def quiet(_: str) -> None:
    """No progress display."""


@dataclass
class LoadReport:
    source: str
    rows_read: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    earlier_terms: int = 0
    quarantined: int = 0
    reasons: dict[str, int] = field(default_factory=dict)

    def as_counts(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if k != "source"}


def check_export(
    mapping: Mapping,
    licence_types: MappingType[str, LicenceType],
    path: Path | None = None,
    step: Step = quiet,
    url: str | None = None,
    query: str | None = None,
) -> tuple[LoadReport, Normalised]:
    """Read and validate an export without touching the store."""
    step("reading")
    raw = read_export(mapping, path, url, query)
    step("validating")
    normalised = replace(normalise(raw.rows, mapping, licence_types), broken=raw.broken)
    reasons = pd.concat([raw.broken[REASON], normalised.rejected[REASON]]).value_counts()
    report = LoadReport(
        source=mapping.name,
        rows_read=len(raw.rows) + len(raw.broken),
        earlier_terms=len(normalised.earlier_terms),
        quarantined=len(normalised.rejected) + len(raw.broken),
        reasons={str(k): int(v) for k, v in reasons.items()},
    )
    return report, normalised


def load_export(
    engine: Engine,
    mapping: Mapping,
    licence_types: MappingType[str, LicenceType],
    now: datetime,
    path: Path | None = None,
    step: Step = quiet,
    url: str | None = None,
    query: str | None = None,
) -> LoadReport:
    report, normalised = check_export(mapping, licence_types, path, step, url, query)
    step("writing")
    actor = f"registry:{mapping.name}"
    with engine.begin() as connection:
        if mapping.canonical is EVENTS:
            report.inserted = _add_events(connection, normalised.rows, mapping.name)
        else:
            table = RECORD_TABLES[mapping.target]
            report.inserted, report.updated = _write_records(connection, table, normalised.rows, actor, now)
            report.unchanged = len(normalised.rows) - report.inserted - report.updated
            _add_events(connection, normalised.earlier_terms, mapping.name)
        for rejected in (normalised.rejected, normalised.broken):  # each keeps its own raw columns
            _quarantine(connection, rejected, mapping.name, str(path or "query"), now)
    return report


def _write_records(
    connection: Connection, table: Table, rows: pd.DataFrame, actor: str, now: datetime
) -> tuple[int, int]:
    key = "licence_no" if table is licences else "subject_key"
    columns = [c.name for c in table.columns if c.name in rows.columns]
    existing = pd.DataFrame(connection.execute(select(table.c[key], table.c.row_hash)).all(), columns=[key, "old_hash"])
    merged = rows.merge(existing, on=key, how="left")
    new = merged[merged["old_hash"].isna()]
    changed = merged[merged["old_hash"].notna() & (merged["old_hash"] != merged["row_hash"])]
    stamp = {"source": actor.removeprefix("registry:"), "updated_at": now}
    if not new.empty:
        insert_frame(connection, table, new[columns], stamp)
    if not changed.empty:
        _update_changed(connection, table, key, changed, columns, stamp, actor)
    return len(new), len(changed)


def _update_changed(
    connection: Connection,
    table: Table,
    key: str,
    changed: pd.DataFrame,
    columns: list[str],
    stamp: dict[str, Any],
    actor: str,
) -> None:
    new_rows = records(changed, columns)
    keys = [row[key] for row in new_rows]
    old_rows: dict[str, dict[str, Any]] = {}
    for start in range(0, len(keys), 500):
        chunk = keys[start : start + 500]
        result = connection.execute(select(table).where(table.c[key].in_(chunk))).mappings()
        old_rows.update({row[key]: dict(row) for row in result})
    statement = update(table).where(table.c[key] == bindparam("b_key")).values({c: bindparam(c) for c in columns})
    execute_in_batches(connection, statement, [row | stamp | {"b_key": row[key]} for row in new_rows])
    ledger = [_ledger_entry(key, old_rows[row[key]], row) for row in new_rows]
    # A digest can change with no field changing (a new digest scheme): that is not a change to record.
    changes = [entry for entry in ledger if entry["details"]["changed"]]
    record_changes(connection, Entity(table.name.removesuffix("s")), changes, actor, stamp["updated_at"])


def _ledger_entry(key: str, old: dict[str, Any], new: dict[str, Any]) -> dict[str, Any]:
    changed = {
        name: [_plain(old.get(name)), _plain(value)]
        for name, value in new.items()
        if name not in ("row_hash", key) and _plain(old.get(name)) != _plain(value)
    }
    return {
        "entity_key": new[key],
        "old_state": old.get("status"),
        "new_state": new.get("status"),
        "reason": "registry record changed: " + ", ".join(sorted(changed)),
        "details": {"changed": changed},
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def _add_events(connection: Connection, events: pd.DataFrame, source: str) -> int:
    if events.empty:
        return 0
    frame = events[[*EVENTS.names, *([ATTRIBUTES] if ATTRIBUTES in events else [])]].copy()
    frame["event_key"] = event_keys(frame)
    before = connection.execute(select(func.count()).select_from(licence_events)).scalar_one()
    insert_frame(connection, licence_events, frame, {"source": source}, skip_existing=True)
    after = connection.execute(select(func.count()).select_from(licence_events)).scalar_one()
    return int(after - before)


def event_keys(events: pd.DataFrame) -> list[str]:
    """An event's identity: the MD5 of its key fields as text, so a reloaded event is recognised (and not added)."""
    parts = [
        events[name].dt.strftime("%Y-%m-%d").fillna("None")
        if pd.api.types.is_datetime64_any_dtype(events[name])
        else events[name].astype(object).where(events[name].notna(), "None").astype(str)
        for name in EVENTS.key
    ]
    if ATTRIBUTES in events:  # two inspections on one day differ by their counts; an event without keeps its key
        texts = attribute_texts(events[ATTRIBUTES])
        parts[-1] = parts[-1].where(texts.isna(), parts[-1] + "\x1f" + texts)
    return [
        hashlib.md5("\x1f".join(fields).encode(), usedforsecurity=False).hexdigest()
        for fields in zip(*(part.tolist() for part in parts), strict=True)
    ]


def _quarantine(connection: Connection, rejected: pd.DataFrame, source: str, file: str, now: datetime) -> None:
    if rejected.empty:
        return
    raw_columns = [c for c in rejected.columns if c not in (LINE, REASON, DETAIL)]
    raws = records(rejected, raw_columns)
    rows = []
    for raw, line, reason, detail in zip(raws, rejected[LINE], rejected[REASON], rejected[DETAIL], strict=True):
        content = json.dumps(raw, ensure_ascii=False, sort_keys=True)
        row_key = hashlib.md5(f"{source}\x1f{content}".encode(), usedforsecurity=False).hexdigest()
        rows.append(
            {
                "row_key": row_key,
                "source": source,
                "file": file,
                "line": int(line),
                "reason": reason,
                "detail": detail,
                "raw": raw,
                "first_seen_at": now,
                "last_seen_at": now,
            }
        )
    statement = upsert(connection, quarantine, "row_key", ["last_seen_at", "line", "file", "reason", "detail"])
    execute_in_batches(connection, statement, rows)
