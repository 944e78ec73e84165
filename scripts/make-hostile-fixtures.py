#!/usr/bin/env python3
"""Writes the hostile RDML fixtures in Tests/Fixtures/hostile/ (see the README there).

Usage: python3 scripts/make-hostile-fixtures.py   (from the repository root; standard library only)

Each archive is written byte by byte (local header, data, central directory, end record) so that sizes,
checksums and compression methods are exactly what each attack needs, whatever the local zip tool does.
The two bombs stream their deflate output, so the script never holds more than a few MiB.
"""

import os
import struct
import zlib

HERE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "Tests", "Fixtures", "hostile")
MIB = 1 << 20

HEAD = (
    '<?xml version="1.0" encoding="UTF-8"?>\n'
    '<rdml xmlns="http://www.rdml.org" version="1.4">\n'
    '<sample id="S1"><type>unkn</type></sample>\n'
    '<target id="miR-21"><type>toi</type><dyeId id="SYBR"/></target>\n'
)
CYCLES = "".join(f"<adp><cyc>{c}</cyc><fluor>{c * 0.1:.1f}</fluor></adp>" for c in range(1, 13))
TAIL = (
    '<experiment id="E1"><run id="R1">\n'
    '<react id="1"><sample id="S1"/><data><tar id="miR-21"/><cq>24.5</cq>' + CYCLES + "</data></react>\n"
    "</run></experiment>\n"
    "</rdml>\n"
)


def write_zip(path, name, data_chunks, method, crc, compressed, usize, declared_usize=None):
    """Writes one-entry zip `path`; `data_chunks` yields the (already compressed) entry bytes."""
    declared = usize if declared_usize is None else declared_usize
    name_bytes = name.encode()
    local = struct.pack(
        "<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, compressed, declared, len(name_bytes), 0
    )
    central = struct.pack(
        "<IHHHHHHIIIHHHHHII",
        0x02014B50, 20, 20, 0, method, 0, 0x21, crc, compressed, declared, len(name_bytes), 0, 0, 0, 0, 0, 0,
    )
    with open(path, "wb") as out:
        out.write(local + name_bytes)
        for chunk in data_chunks():
            out.write(chunk)
        offset = out.tell()
        out.write(central + name_bytes)
        size = out.tell() - offset
        out.write(struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, 1, 1, size, offset, 0))


def deflated(parts):
    """Raw deflate (as zip stores it) of the byte strings `parts` yields: (chunks, crc, csize, usize)."""
    chunks, crc, usize = [], 0, 0
    compressor = zlib.compressobj(9, zlib.DEFLATED, -15, 9, zlib.Z_RLE)
    for part in parts():
        crc = zlib.crc32(part, crc)
        usize += len(part)
        chunks.append(compressor.compress(part))
    chunks.append(compressor.flush())
    return chunks, crc, sum(map(len, chunks)), usize


def padded(filler, count):
    """HEAD, `count` bytes of `filler`, TAIL, in 1 MiB pieces."""

    def parts():
        yield HEAD.encode()
        block = filler * MIB
        for _ in range(count // MIB):
            yield block
        yield filler * (count % MIB)
        yield TAIL.encode()

    return parts


def bomb(file, filler, count, declared_usize=None):
    chunks, crc, csize, usize = deflated(padded(filler, count))
    write_zip(os.path.join(HERE, file), "rdml_data.xml", lambda: chunks, 8, crc, csize, usize, declared_usize)
    print(f"{file}: {os.path.getsize(os.path.join(HERE, file))} bytes, inflates to {usize}")


def main():
    os.makedirs(HERE, exist_ok=True)
    # 2 GiB + 1 MiB of spaces between elements: past Int32.max once inflated.
    bomb("inflates-past-2gib.rdml", b" ", (2 << 30) + MIB)
    # 1 GiB of newlines: one line index entry per newline.
    bomb("newline-bomb.rdml", b"\n", 1 << 30)
    # 8 MiB of spaces, but both headers claim the entry inflates to 1,000 bytes.
    bomb("lying-size.rdml", b" ", 8 * MIB, declared_usize=1000)

    # A stored entry whose Cq was changed from 24.5 to 94.5 after its CRC-32 was computed.
    good = (HEAD + TAIL).encode()
    altered = good.replace(b"<cq>24.5</cq>", b"<cq>94.5</cq>")
    assert altered != good
    write_zip(
        os.path.join(HERE, "crc-altered.rdml"), "rdml_data.xml", lambda: [altered], 0, zlib.crc32(good),
        len(altered), len(altered),
    )

    doctype_head = HEAD.replace("<rdml ", "{doctype}\n<rdml ", 1)
    bare = {
        # An external DTD that is never read, and an entity it would have to declare.
        "undeclared-entity.rdml": (
            '<!DOCTYPE rdml SYSTEM "rdml.dtd">',
            TAIL.replace("<fluor>0.5</fluor>", "<fluor>9&junk;500</fluor>", 1),
        ),
        # XXE: a general entity whose text is a local file.
        "xxe-file-entity.rdml": (
            '<!DOCTYPE rdml [<!ENTITY x SYSTEM "file:///etc/passwd">]>',
            TAIL.replace("<cq>24.5</cq>", "<cq>24.5</cq><note>&x;</note>", 1),
        ),
        # XXE through a parameter entity fetched from the network.
        "xxe-parameter-entity.rdml": (
            '<!DOCTYPE rdml [<!ENTITY % p SYSTEM "http://127.0.0.1:9/evil.dtd"> %p;]>',
            TAIL,
        ),
        # Billion laughs: ten levels of ten references, 10^9 copies of "lol".
        "billion-laughs.rdml": (
            "<!DOCTYPE rdml [<!ENTITY lol0 \"lol\">"
            + "".join(f'<!ENTITY lol{i} "{f"&lol{i - 1};" * 10}">' for i in range(1, 10))
            + "]>",
            TAIL.replace("<cq>24.5</cq>", "<cq>24.5</cq><note>&lol9;</note>", 1),
        ),
    }
    for file, (doctype, tail) in bare.items():
        text = doctype_head.replace("{doctype}", doctype) + tail
        assert text != doctype_head + TAIL
        with open(os.path.join(HERE, file), "w") as out:
            out.write(text)
    # What a loaded external DTD would declare; the tests point a DOCTYPE at it and expect it unread.
    with open(os.path.join(HERE, "evil.dtd"), "w") as out:
        out.write('<!ENTITY junk "666">\n')


main()
