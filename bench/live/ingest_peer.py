"""The peer of `exoscope live ingest` in the ingest benchmark: what a lab would script in Python.

Reads the same NDJSON stream in the same 64 KiB chunks, parses each line with the standard library's json module,
and stores each chunk's readings in one SQLite transaction (rollback journal, synchronous=FULL, the same table and
primary key as ExoScope's liveReading) before taking the next chunk. No validation of wells, seqs or cycles, and no
Cq state: it is the floor of parse-and-store-durably in a scripting language.

Usage: ingest_peer.py DATABASE STREAM TIMINGS  (TIMINGS: one line per batch, "readings<TAB>milliseconds").
"""
import json
import os
import sqlite3
import sys
import time

database, stream, timings = sys.argv[1:4]
db = sqlite3.connect(database, isolation_level=None)
db.execute("PRAGMA journal_mode=DELETE")
db.execute("PRAGMA synchronous=FULL")
db.execute(
    "CREATE TABLE IF NOT EXISTS liveReading (runId TEXT NOT NULL, seq INTEGER NOT NULL, well TEXT NOT NULL,"
    " cycle INTEGER, fluorescence REAL, positives INTEGER, partitions INTEGER, PRIMARY KEY (runId, seq)) WITHOUT ROWID"
)
fd = os.open(stream, os.O_RDONLY)
carry = b""
rows_out = ["readings\tmilliseconds"]
while True:
    chunk = os.read(fd, 65536)
    if not chunk:
        break
    start = time.perf_counter()
    lines = (carry + chunk).split(b"\n")
    carry = lines.pop()
    rows = []
    for line in lines:
        message = json.loads(line)
        if message.get("type") == "reading":
            rows.append((message["run"], message["seq"], message["well"], message["cycle"], message["fluorescence"]))
    db.execute("BEGIN")
    db.executemany(
        "INSERT OR IGNORE INTO liveReading (runId, seq, well, cycle, fluorescence) VALUES (?, ?, ?, ?, ?)", rows
    )
    db.execute("COMMIT")
    rows_out.append(f"{len(rows)}\t{(time.perf_counter() - start) * 1000}")
with open(timings, "w") as out:
    out.write("\n".join(rows_out) + "\n")
