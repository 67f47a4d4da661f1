"""NumPy's legacy RandomState streams after np.random.seed(s), for NumpyRandomTest: each call's output as a
.npy file in src/test/resources/numpy/random/, named SEED_CALL.npy. Tests never run this script.

    python3 scripts/reference/numpy_random.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "numpy", "random")

# Each case: a name and a function of the module (after np.random.seed), run in this order per seed, so the
# later ones also check that the stream's position (and the cached Gaussian) carries over.
CASES = [
    ("rand", lambda: np.random.rand(7, 3)),
    ("randn", lambda: np.random.randn(1001)),
    ("uniform", lambda: np.random.uniform(-2.0, 3.0, size=(5, 4))),
    ("normal", lambda: np.random.normal(1.5, 0.25, size=9)),
    ("randn_odd", lambda: np.random.randn(3)),
    ("randint10", lambda: np.random.randint(0, 10, size=200)),
    ("randint_big", lambda: np.random.randint(-5, 2**40, size=50)),
    ("randint_one", lambda: np.random.randint(7, size=20)),
    ("permutation", lambda: np.random.permutation(100)),
    ("shuffled", lambda: shuffled()),
    ("random_sample", lambda: np.random.random_sample(5)),
]


def shuffled():
    a = np.arange(37)
    np.random.shuffle(a)
    return a


def main():
    os.makedirs(OUT, exist_ok=True)
    for seed in (0, 42, 2026, 4294967295):
        np.random.seed(seed)
        for name, call in CASES:
            np.save(os.path.join(OUT, f"{seed}_{name}.npy"), call())
    print(np.__version__)


if __name__ == "__main__":
    main()
