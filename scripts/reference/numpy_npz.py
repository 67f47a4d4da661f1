"""Archives NumPy writes, for NpzTest: np.savez (stored) and np.savez_compressed (deflated) of two float32
arrays, one named as an optimizer's slot ('w/Adam').

    python3 scripts/reference/numpy_npz.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "numpy", "npz")

os.makedirs(OUT, exist_ok=True)
arrays = {"w": np.arange(6, dtype="<f4").reshape(2, 3), "w/Adam": np.array([0.5, -1.25], dtype="<f4")}
np.savez(os.path.join(OUT, "stored.npz"), **arrays)
np.savez_compressed(os.path.join(OUT, "compressed.npz"), **arrays)
