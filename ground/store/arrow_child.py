"""A child process of `ground.store.arrow_reads`: run one query on a SQLite file with the ADBC driver, read-only,
and write its rows as an Arrow IPC file. Run as a script (`python arrow_child.py URI SQL_FILE OUT_FILE`), so it
imports nothing but pyarrow and the driver."""

from __future__ import annotations

import sys
from pathlib import Path

import adbc_driver_sqlite.dbapi
import pyarrow as pa

BATCH_ROWS = 65_536  # rows per Arrow batch; fewer, larger batches cost the driver less


def main(uri: str, sql_file: str, out_file: str) -> None:
    sql = Path(sql_file).read_text(encoding="utf-8")
    with adbc_driver_sqlite.dbapi.connect(f"{uri}?mode=ro") as connection, connection.cursor() as cursor:
        cursor.adbc_statement.set_options(**{"adbc.sqlite.query.batch_rows": str(BATCH_ROWS)})
        cursor.execute(sql)
        table = _as_large_text(cursor.fetch_arrow_table())
    with pa.OSFile(out_file, "wb") as sink, pa.ipc.new_file(sink, table.schema) as writer:
        writer.write_table(table)


def _as_large_text(table: pa.Table) -> pa.Table:
    """Text as pandas keeps it (64-bit offsets): converted here, in the readers at once, not after them in the
    reading process, where the text of millions of rows would be converted one column after another."""
    large = [pa.field(f.name, pa.large_string()) if pa.types.is_string(f.type) else f for f in table.schema]
    return table.cast(pa.schema(large))


if __name__ == "__main__":
    main(*sys.argv[1:4])
