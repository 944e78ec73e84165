#!/usr/bin/env python3
"""Makes a synthetic RDML run from a real one, for testing curve analysis on awkward curves.

Seeded: the same source and seed give the same file. Dye chemistries and sample types are shuffled, and
curves are made flat, early, late, noisy, offset below zero, gapped (1–3 missing cycles) or excluded.
Usage: make_synthetic_rdml.py SOURCE.rdml OUT.rdml SEED   (needs lxml)
"""
import sys, zipfile, random, copy
from lxml import etree
NS = "{http://www.rdml.org}"
src, out, seed = sys.argv[1], sys.argv[2], int(sys.argv[3])
rnd = random.Random(seed)
root = etree.fromstring(zipfile.ZipFile(src).read('rdml_data.xml'))
# chemistry variety: change some dyes
dyes = root.findall(NS + "dye")
chems = ["hydrolysis probe", "labelled reverse primer", "DNA-zyme probe", "saturating DNA binding dye", None]
for d in dyes:
    c = d.find(NS + "dyeChemistry")
    ch = rnd.choice(chems)
    if ch is None:
        if c is not None: d.remove(c)
    else:
        if c is None:
            c = etree.SubElement(d, NS + "dyeChemistry")
        c.text = ch
# sample types / nucleotide (1.3 style templateQuantity)
for s in root.findall(NS + "sample"):
    t = s.find(NS + "type")
    if t is not None and rnd.random() < 0.25:
        t.text = rnd.choice(["ntc", "unkn", "pos", "nrt", "opt"])
    if rnd.random() < 0.5:
        tq = etree.SubElement(s, NS + "templateQuantity")
        etree.SubElement(tq, NS + "conc").text = "1"
        etree.SubElement(tq, NS + "nucleotide").text = rnd.choice(["DNA", "genomic DNA", "cDNA", "RNA"])
for data in root.iter(NS + "data"):
    adps = data.findall(NS + "adp")
    vals = [float(a.find(NS + "fluor").text) for a in adps]
    r = rnd.random()
    if r < 0.06:   # flat / noise
        base = vals[0]
        vals = [base * (1 + rnd.gauss(0, 0.01)) for _ in vals]
    elif r < 0.16:  # early amplifier: shift left by k cycles, pad end with last value
        k = rnd.randint(4, 14)
        vals = vals[k:] + [vals[-1] * (1 + rnd.gauss(0, 0.002)) for _ in range(k)]
    elif r < 0.24:  # late/no plateau: shift right
        k = rnd.randint(3, 10)
        vals = [vals[0] * (1 + rnd.gauss(0, 0.003)) for _ in range(k)] + vals[:-k]
    elif r < 0.34:  # noisy baseline
        amp = (max(vals) - min(vals)) * rnd.choice([0.002, 0.01, 0.03])
        vals = [v + rnd.gauss(0, amp) for v in vals]
    elif r < 0.38:  # negative offset
        vals = [v - min(vals) * 1.02 for v in vals]
    for a, v in zip(adps, vals):
        a.find(NS + "fluor").text = repr(v)
    # gaps
    if rnd.random() < 0.2:
        for _ in range(rnd.randint(1, 3)):
            a = rnd.choice(data.findall(NS + "adp"))
            data.remove(a)
    if rnd.random() < 0.04:
        e = data.find(NS + "excl")
        if e is None:
            e = etree.Element(NS + "excl")
            data.find(NS + "tar").addnext(e)
        e.text = "manual exclusion"
xml = etree.tostring(root, encoding="unicode")
with zipfile.ZipFile(out, "w") as z:
    z.writestr("rdml_data.xml", xml)
