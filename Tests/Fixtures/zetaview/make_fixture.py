"""Writes synthetic_size_488.txt: a synthetic ZetaView 8.06 size-distribution export.

The layout (key-value header, 'Size Distribution', linear 5 nm bins, the -1 separator row, logarithmic bins,
Latin-1 with CRLF) follows real ZetaView 8.06.01 SP1 exports; every value here is made up: 612 traces drawn
from a log-normal size distribution (median 118 nm, sigma 0.35), 2.0E+4 particles/cm3 per trace, dilution 500.
Run: python3 Tests/Fixtures/zetaview/make_fixture.py
"""
import math
import random
from pathlib import Path

random.seed(20261127)
sizes = [math.exp(math.log(118) + 0.35 * random.gauss(0, 1)) for _ in range(612)]
per_trace = 2.0e4

header = [
    "Original File:\tD:\\NTA\\20261127_0003_EVprep_A_size_488.avi\tSection:\t0.09999 [0]",
    "Operator:\tAdmin",
    "Experiment:\t20261127_0003",
    "ZetaView S/N:\t00-0000",
    "Cell S/N:\t000-000-00-000-X00-0",
    "Software:\tZetaView (version 8.06.01 SP1)\tAnalyze:\t8.06.01 SP1",
    "SOP:\tEV_488",
    "Sample:\tEVprep_A",
    "Electrolyte:\tPBS",
    "pH:\t7.400000\tentered",
    "Conductivity: 15.000000\tsensed",
    "TempControl:\t1",
    "SetTemperature:\t25.000000",
    "Temperature:\t24.980000\tsensed",
    "Viscosity:\t0.890450",
    "Date:\t2026-11-27",
    "Time:\t09:14:51",
    "General Remarks:\tsynthetic fixture",
    "Remarks:\t",
    "Sample Info 1:\t",
    "Sample Info 3:",
    "Scattering Intensity:\t5.400000",
    "Detected Particles:\t31",
    "Particle Drift Checked:\t2026-11-27 08:40:12",
    "Particle Drift Check Result:\ttoo high",
    "Cell Checked:\t2026-11-27 08:35:02",
    "Cell Check Result:\tVery Good",
    "Type of Measurement:\tSize Distribution",
    "Positions:\t11",
    "Microscope Position:\t0.099993",
    f"Number of Traces:\t{len(sizes)}\t(at 0.099990)\tAverage Number of Particles:\t29.818182\tDilution::\t500.000000",
    "Concentration Correction Factor:\t1.000000",
    "Image Evaluation:",
    "Minimum Brightness:\t30",
    "Camera:\tFpSec 30 #Cycles 3 FRate 30.000000",
    "Sensitivity:\t80.000000",
    "Shutter:\t100.000000",
    "Camera Trigger Duration \u00b5s:\t0.000000",
    "Laser Wavelength nm:\t488.000000",
    "Results (Pos 0.099993):",
    "Median Number (D50):\t119.250000",
    "Size Distribution",
    "Size / nm\tNumber\tConcentration / cm-3\tVolume / nm^3\tArea / nm^2",
]


def e3(value):
    """C's %.3E without the zero-padded exponent sign digits, as ZetaView writes it."""
    if value == 0:
        return "0.000E+0"
    exponent = math.floor(math.log10(abs(value)))
    mantissa = value / 10 ** exponent
    if round(mantissa, 3) >= 10:
        mantissa /= 10
        exponent += 1
    return f"{mantissa:.3f}E{'+' if exponent >= 0 else '-'}{abs(exponent)}"


def row(centre, count):
    volume = count * math.pi / 6 * centre ** 3
    area = count * math.pi * centre ** 2
    return "\t".join([e3(centre), e3(count), e3(count * per_trace), e3(volume), e3(area)])


lines = list(header)
for index in range(1200):
    low, high = 5 * index, 5 * index + 5
    lines.append(row(low + 2.5, sum(1 for s in sizes if low <= s < high)))
lines.append("-1.000E+0\t-1.000E+0\t-1.000E+0\t-1.000E+0\t0.000E+0")
ratio = 10 ** (1 / 64)
centre = 4.683
while centre < 6100:
    low, high = centre / math.sqrt(ratio), centre * math.sqrt(ratio)
    lines.append(row(centre, sum(1 for s in sizes if low <= s < high)))
    centre *= ratio
Path(__file__).with_name("synthetic_size_488.txt").write_bytes(("\r\n".join(lines) + "\r\n").encode("latin-1"))
