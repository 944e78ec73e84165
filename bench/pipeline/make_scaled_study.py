#!/usr/bin/env python3
"""Writes a seeded study of any size for the `exoscope run` scaling benchmark: FOLDER SAMPLES SEED.

The study has the demo study's shape without its raw curves and EV QC: a sample sheet (40 % healthy controls,
60 % NSCLC cases spread over stages I-IV; one patient in twelve followed on treatment with five visits four weeks
apart, two of them baseline and treatment start) and a plain instrument Cq export (`Well, Sample, Target, Replicate, Cq`,
as instrument software writes it) with two technical replicates of miR-4458, miR-21, the reference miRNAs
miR-16-5p and miR-23a-3p, and the cel-miR-39-3p spike-in for every sample, normalised to the spike-in.
Cq values: per-analyte means, a shift towards more miR-4458 and miR-21 that grows with stage (for miR-4458 the
opposite of the demo's direction, so most followed patients are called progressing; the benchmark measures time,
not the calls), per-sample input variation, replicate noise, and Cq above 37 written as Undetermined.
Uses only the standard library, so every size is the same draw of the same model.
"""
import os
import random
import sys

ANALYTES = [  # name, control mean Cq, shift per stage in cases (cycles, lower = more)
    ("hsa-miR-4458", 30.0, -0.6),
    ("hsa-miR-21-5p", 27.0, -0.4),
    ("hsa-miR-16-5p", 24.0, 0.0),
    ("hsa-miR-23a-3p", 26.5, 0.0),
    ("cel-miR-39-3p", 21.0, 0.0),
]
STAGES = ["I", "II", "III", "IV"]
VISITS = [0, 28, 56, 84, 112]


def main(folder, samples, seed):
    rng = random.Random(seed)
    os.makedirs(os.path.join(folder, "data"), exist_ok=True)
    with open(os.path.join(folder, "study.yaml"), "w") as f:
        f.write(
            "# Written by bench/pipeline/make_scaled_study.py (simulated).\n"
            "schema: 1\n"
            f"id: SCALE-{samples}\n"
            f"title: Scaling study with {samples} samples (simulated)\n"
            "tumour: NSCLC\n"
            "specimen: serum\n"
            "sampleSheet: samples.tsv\n"
            "treatmentEvent: treatment start\n"
            "measurements:\n"
            "  - file: data/cq-export.csv\n"
            "    assay: qPCR\n"
            "analytes:\n"
            "  monitored: [miR-4458, miR-21]\n"
            "  spikeIns: [cel-miR-39-3p]\n"
            "  references: [miR-16-5p, miR-23a-3p]\n"
            "normalization: spike-in\n"
            "monitoring:\n"
            "  withinSubjectSD: 0.25\n"
            "  probability: 0.95\n"
        )
    sheet = []  # (sample, patient, group, date, day, timepoint, event, stage, shift)
    n = 0
    patient = 0
    while n < samples:
        patient += 1
        u = rng.random()
        if u < 0.4:
            sheet.append((f"HD{patient:06d}-S1", f"HD{patient:06d}", "control", "", "diagnosis", "", "", 0))
            n += 1
            continue
        stage = rng.randrange(4)
        pid = f"PT{patient:06d}"
        if u > 1 - 1 / 12 and n + len(VISITS) <= samples:
            responder = rng.random() < 0.6
            for visit, day in enumerate(VISITS):
                level = stage + 1 - (visit * 0.8 if responder else -visit * 0.3)
                event = "treatment start" if visit == 0 else ""
                timepoint = "baseline" if visit == 0 else f"week {day // 7}"
                sheet.append((f"{pid}-S{visit + 1}", pid, "case", str(day), timepoint, event, STAGES[stage], level))
            n += len(VISITS)
        else:
            sheet.append((f"{pid}-S1", pid, "case", "", "diagnosis", "", STAGES[stage], stage + 1))
            n += 1
    with open(os.path.join(folder, "samples.tsv"), "w") as f:
        f.write("sample_id\tpatient_id\tgroup\tcollection_date\tday\ttimepoint\tevent\tstage\n")
        for index, (sample, pid, group, day, timepoint, event, stage, _) in enumerate(sheet):
            date = f"2025-{1 + index % 12:02d}-{1 + index % 28:02d}"
            f.write(f"{sample}\t{pid}\t{group}\t{date}\t{day}\t{timepoint}\t{event}\t{stage}\n")
    with open(os.path.join(folder, "data", "cq-export.csv"), "w") as f:
        f.write("Well,Sample,Target,Replicate,Cq\n")
        well = 0
        for sample, _, _, _, _, _, _, level in sheet:
            input_shift = rng.gauss(0, 0.5)
            for name, mean, shift in ANALYTES:
                true = mean + input_shift + shift * level + rng.gauss(0, 0.3 if shift else 0.15)
                for replicate in (1, 2):
                    well += 1
                    cq = true + rng.gauss(0, 0.12)
                    value = "Undetermined" if cq > 37 else f"{cq:.2f}"
                    f.write(f"{chr(65 + well // 24 % 16)}{well % 24 + 1},{sample},{name},{replicate},{value}\n")


if __name__ == "__main__":
    main(sys.argv[1], int(sys.argv[2]), int(sys.argv[3]))
