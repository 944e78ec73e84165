#!/usr/bin/env python3
"""Writes a simulated 96×96 microfluidic qPCR chip run as RDML 1.3: 96 samples × 96 miRNA assays.

9,216 curves × 40 cycles, seeded. Each curve: F(c) = B + d·c + Fmax · x / (1 + x) with x = N0·E^c / K
(logistic saturation of exponential growth), plus Gaussian noise of 0.3 % of Fmax. Per assay an efficiency
1.80–1.98; per curve a starting amount that puts the Cq between about 14 and 34; every 12th sample is a
no-template control and one chamber is a failed, flat well.
Usage: make_chip_rdml.py OUT.rdml [SEED]
"""
import random
import sys
import zipfile


def main(out, seed):
    rng = random.Random(seed)
    samples = [f"S{index:02d}" for index in range(1, 97)]
    assays = [f"miR-assay-{index:02d}" for index in range(1, 97)]
    parts = ['<?xml version="1.0" encoding="UTF-8"?>', '<rdml xmlns="http://www.rdml.org" version="1.3">',
             '<dye id="EvaGreen"><dyeChemistry>saturating DNA binding dye</dyeChemistry></dye>']
    for index, sample in enumerate(samples):
        kind = "ntc" if index % 12 == 11 else "unkn"
        parts.append(f'<sample id="{sample}"><type>{kind}</type></sample>')
    efficiency = {}
    for assay in assays:
        efficiency[assay] = rng.uniform(1.80, 1.98)
        parts.append(f'<target id="{assay}"><type>toi</type><dyeId id="EvaGreen"/></target>')
    parts.append('<experiment id="chip"><run id="run-1"><pcrFormat><rows>96</rows><columns>96</columns>'
                 '<rowLabel>123</rowLabel><columnLabel>123</columnLabel></pcrFormat>')
    reaction = 0
    for row, sample in enumerate(samples):
        for column, assay in enumerate(assays):
            reaction += 1
            e = efficiency[assay]
            fmax = rng.uniform(8000, 12000)
            base = rng.uniform(400, 600)
            drift = rng.uniform(-2, 2)
            noise = 0.003 * fmax
            ntc = row % 12 == 11
            failed = row == 40 and column == 7
            cq = rng.uniform(14, 34)
            k = 1e11
            n0 = k * 0.01 / e ** cq  # x(cq) ≈ 0.01: the curve leaves the baseline near cq
            points = []
            for cycle in range(1, 41):
                signal = 0.0 if (ntc or failed) else fmax * (x := n0 * e ** cycle / k) / (1 + x)
                fluorescence = base + drift * cycle + signal + rng.gauss(0, noise)
                points.append(f"<adp><cyc>{cycle}</cyc><fluor>{fluorescence:.3f}</fluor></adp>")
            parts.append(f'<react id="{reaction}"><sample id="{sample}"/><data><tar id="{assay}"/>{"".join(points)}</data></react>')
    parts.append("</run></experiment></rdml>")
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("rdml_data.xml", "\n".join(parts))


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]) if len(sys.argv) > 2 else 20260707)
