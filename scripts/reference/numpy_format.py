"""How NumPy prints its float32 and float64 scalars (str, as print shows them), for NumpyFormatTest: lines
'f32 BITS TEXT' and 'f64 BITS TEXT', BITS the value's bits in hex, over values of every magnitude, the
cut-over points between positional and scientific notation, and the special values.

    python3 scripts/reference/numpy_format.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "numpy", "format", "scalars.txt")


def main():
    rng = np.random.RandomState(7)
    values = [0.0, -0.0, 1.0, -1.0, 0.5, 3.0, 1e-4, 9.99e-5, 1e6, 999999.0, 1e16, 1e15, 9.999999e15, 1e-45, 2e-45,
              3.4028235e38, 1.17549435e-38, 1597.0376, 3.275607e-05, 16777216.0, 0.1, 0.2, 0.3, 1 / 3, 2 / 3,
              float("nan"), float("inf"), float("-inf"), 123456789.0, 1e100, 1e-300, 5e-324]
    for e in range(-12, 20):
        values += list(rng.uniform(1, 10, 6) * 10.0 ** e * rng.choice([-1, 1], 6))
    values += list(rng.randn(200))
    values += [float(i) for i in range(-5, 40)]
    lines = []
    for v in values:
        f = np.float32(v)
        lines.append("f32 %08x %s" % (f.view(np.uint32), str(f)))
        d = np.float64(v)
        lines.append("f64 %016x %s" % (d.view(np.uint64), str(d)))
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as out:
        out.write("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
