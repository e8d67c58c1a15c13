"""The child process of arrow.py's whole-caseload SQLite reads: `python -m
probation.adapters.db.arrow_child <database file>`.

Reads length-prefixed SQL statements from stdin until it closes and answers each with an Arrow IPC
stream on stdout, read through ADBC's SQLite driver in this separate process (see arrow.py for
why never in the server's own process). The database is opened read-only.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path


def main() -> int:
    import adbc_driver_sqlite.dbapi as driver
    import pyarrow as pa

    path = Path(sys.argv[1]).resolve()
    conn = driver.connect(f"file:{path}?mode=ro")
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    try:
        while header := source.read(4):
            (size,) = struct.unpack("<I", header)
            sql = source.read(size).decode()
            cursor = conn.cursor()
            try:
                cursor.execute(sql)
                table: pa.Table = cursor.fetch_arrow_table()
            finally:
                cursor.close()
            with pa.ipc.new_stream(sink, table.schema) as writer:
                writer.write_table(table)
            sink.flush()
    finally:
        conn.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
