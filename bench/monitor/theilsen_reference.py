"""Reference values for Tests/ExoMonitorTests (Theil–Sen slope, intercept and Sen's interval).

Run: python3 -m venv .build-bench/scipy && .build-bench/scipy/bin/pip install scipy
     .build-bench/scipy/bin/python bench/monitor/theilsen_reference.py      (scipy 1.17.1 printed the test's values)
"""
from scipy.stats import theilslopes

cases = [
    ([0, 28, 56, 84, 112], [6.1, 5.8, 5.2, 4.9, 4.1]),
    ([0, 1, 2, 3, 4, 5, 6, 7], [1.0, 1.2, 1.1, 1.9, 2.3, 2.2, 3.1, 2.9]),
    ([0, 1, 1, 2, 3, 3, 4], [2, 2, 3, 3, 3, 5, 5]),
    ([0, 1, 2], [1, 3, 2]),
]
for x, y in cases:
    r = theilslopes(y, x, 0.95)
    print(repr(float(r.slope)), repr(float(r.intercept)), repr(float(r.low_slope)), repr(float(r.high_slope)))
r = theilslopes([1.0, 1.2, 1.1, 1.9, 2.3, 2.2, 3.1, 2.9], [0, 1, 2, 3, 4, 5, 6, 7], 0.90)
print("90 %", repr(float(r.low_slope)), repr(float(r.high_slope)))
