#!/usr/bin/env python3
"""Writes an RDML 1.3 file from a LightCycler 480 raw data export (and its sample information), independently
of ExoScope, for comparing `exoscope qpcr analyze RAW.txt INFO.txt` with rdmlpython's LinRegPCR on the same
curves (bench/qpcr/lc480.sh).

The same mapping as ExoScope's LightCycler480RawData.rdmlDocument (docs/qpcr.md, "Instrument exports"): the
amplification segment is the (Prog#, Seg#) with the most distinct cycles; reactions are numbered on an 8 x 12
plate; a well's sample, target and role come from the sample information (Negative -> ntc, Standard -> std,
PosCalibrator / Positive -> pos, otherwise unkn; Ref targets are ref); a name seen with a second role is
written "NAME (kind)"; the run is the raw data file's name without extension.
Usage: make_lc480_rdml.py RAW.txt [INFO.txt] OUT.rdml
"""
import os
import sys
import zipfile
from xml.sax.saxutils import escape, quoteattr

KIND = {"negative": "ntc", "negative control": "ntc", "standard": "std", "poscalibrator": "pos",
        "calibrator": "pos", "positive": "pos", "positive control": "pos"}


def rows(path):
    with open(path, encoding="utf-8-sig") as handle:
        return [line.rstrip("\r\n").split("\t") for line in handle]


def main(raw_path, info_path, out_path):
    lines = rows(raw_path)
    head = next(i for i, r in enumerate(lines[:5]) if "SamplePos" in r and "Cycle#" in r)
    names = lines[head]
    col = {n: i for i, n in enumerate(names)}
    channels = [n for n in names if n and n.lower() not in
                {"samplepos", "samplename", "prog#", "seg#", "cycle#", "time", "temp", "acq#"}]
    data = [r for r in lines[head + 1:] if any(c.strip() for c in r)]
    cycles = {}
    for r in data:
        cycles.setdefault((r[col["Prog#"]], r[col["Seg#"]]), set()).add(r[col["Cycle#"]])
    segment = max(cycles, key=lambda s: len(cycles[s]))
    wells, order = {}, []
    for r in data:
        if (r[col["Prog#"]], r[col["Seg#"]]) != segment:
            continue
        pos = r[col["SamplePos"]]
        if pos not in wells:
            wells[pos] = {"name": r[col["SampleName"]], "curves": {c: [] for c in channels}}
            order.append(pos)
        for c in channels:
            wells[pos]["curves"][c].append((int(r[col["Cycle#"]]), float(r[col[c]].replace(",", "."))))
    info = {}
    if info_path:
        ilines = rows(info_path)
        icol = {n.lower(): i for i, n in enumerate(ilines[0])}
        for r in ilines[1:]:
            if not any(c.strip() for c in r):
                continue
            get = lambda key: r[icol[key]].strip() if key in icol and icol[key] < len(r) else ""
            words = get("rel quant:combined sample/target type").split()
            info[get("general:pos")] = {
                "name": get("general:sample name"), "target": get("general:target name"),
                "filter": get("general:filt. comb."), "ref": bool(words) and words[0].lower() == "ref",
                "role": " ".join(words[1:]),
            }
    samples, kind_of, targets, reacts = {}, {}, {}, []
    for pos in order:
        well, entry = wells[pos], info.get(pos)
        name = (entry["name"] or well["name"]) if entry else well["name"]
        kind = KIND.get((entry or {}).get("role", "").lower(), "unkn")
        sample = name
        if name in kind_of and kind_of[name] != kind:
            sample = f"{name} ({kind})"
        else:
            kind_of[name] = kind
        samples.setdefault(sample, kind)
        datas = []
        for c in channels:
            target = c
            if entry and entry["target"] and (entry["filter"] == c or len(channels) == 1):
                target = entry["target"]
            targets.setdefault(target, (c, "ref" if entry and entry["ref"] and target == entry["target"] else "toi"))
            datas.append((target, sorted(well["curves"][c])))
        number = (ord(pos[0]) - 64 - 1) * 12 + int(pos[1:])
        reacts.append((number, sample, datas))
    run = os.path.splitext(os.path.basename(raw_path))[0]
    xml = ['<?xml version="1.0" encoding="UTF-8"?>', '<rdml xmlns="http://www.rdml.org" version="1.3">']
    xml += [f"<dye id={quoteattr(c)}/>" for c in channels]
    xml += [f"<sample id={quoteattr(s)}><type>{k}</type></sample>" for s, k in samples.items()]
    xml += [f"<target id={quoteattr(t)}><type>{ty}</type><dyeId id={quoteattr(d)}/></target>"
            for t, (d, ty) in targets.items()]
    xml.append(f"<experiment id={quoteattr(run)}><run id={quoteattr(run)}><pcrFormat><rows>8</rows><columns>12"
               "</columns><rowLabel>ABC</rowLabel><columnLabel>123</columnLabel></pcrFormat>")
    for number, sample, datas in reacts:
        body = "".join(
            f"<data><tar id={quoteattr(t)}/>" + "".join(f"<adp><cyc>{c}</cyc><fluor>{f!r}</fluor></adp>" for c, f in pts)
            + "</data>" for t, pts in datas)
        xml.append(f'<react id="{number}"><sample id={quoteattr(sample)}/>{body}</react>')
    xml.append("</run></experiment></rdml>")
    with zipfile.ZipFile(out_path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rdml_data.xml", "\n".join(xml))
    print(f"{len(reacts)} reactions, {len(samples)} samples, {len(targets)} targets -> {out_path}", file=sys.stderr)


if __name__ == "__main__":
    arguments = sys.argv[1:]
    main(arguments[0], arguments[1] if len(arguments) == 3 else None, arguments[-1])
