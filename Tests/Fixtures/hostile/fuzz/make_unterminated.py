#!/usr/bin/env python3
"""Makes unterminated-deflate.rdml and unterminated-deflate.xlsx (see README.md in this folder).

Each is a fixture archive rebuilt with one entry's deflate stream left open: the entry's bytes are its content
deflated and sync-flushed (no final block), then the header of a stored block declaring 65,535 bytes. An
inflater that reads on past the entry takes the rest of the file as that block's content and reaches the end of
the file still wanting more; ZIPFoundation 0.9.20's Linux loop then asks for input forever.

    python3 make_unterminated.py   (from this folder; reads ../../rdml and ../../xlsx)
"""
import struct
import zipfile
import zlib


def unterminated(content: bytes) -> bytes:
    deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
    body = deflater.compress(content) + deflater.flush(zlib.Z_SYNC_FLUSH)
    return body + bytes([0x00]) + struct.pack("<HH", 0xFFFF, 0x0000)


def rebuild(source: str, target: str, victim: str) -> None:
    with zipfile.ZipFile(source) as archive:
        entries = [(info.filename, archive.read(info.filename)) for info in archive.infolist()]
    out, directory = bytearray(), bytearray()
    for name, content in entries:
        if name == victim:
            data = unterminated(content)
        else:
            deflater = zlib.compressobj(9, zlib.DEFLATED, -15)
            data = deflater.compress(content) + deflater.flush()
        crc, encoded = zlib.crc32(content), name.encode()
        fields = (20, 0, 8, 0, 0x21, crc, len(data), len(content), len(encoded), 0)
        directory += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, *fields, 0, 0, 0, 0, len(out)) + encoded
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, *fields) + encoded + data
    end = struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, len(entries), len(entries), len(directory), len(out), 0)
    with open(target, "wb") as handle:
        handle.write(out + directory + end)


rebuild("../../rdml/stepone_std.rdml", "unterminated-deflate.rdml", "rdml_data.xml")
rebuild("../../xlsx/quantstudio-results.xlsx", "unterminated-deflate.xlsx", "xl/workbook.xml")
