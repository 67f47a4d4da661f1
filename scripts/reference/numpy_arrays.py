"""NumPy's own results for NumpyArraysTest: each case below (Python statements separated by '; ', the last an
expression, in a subset the test's small evaluator reads) run with numpy, its result written to
src/test/resources/numpy/arrays/cases.tsv as one line of tab-separated fields:

    CASE  KIND  DTYPE  SHAPE  DATA  STR  REPR

KIND is 'array' (an ndarray), 'scalar' (a NumPy scalar), 'py' (a Python value: REPR is its repr), 'error' (DTYPE
is the exception's type name, REPR its message). DATA is the elements' little-endian bytes in hex (C order), so
floats compare bit for bit. Newlines in STR and REPR are written as \\n. Cases starting with 'approx: ' compare their
data to within a few units in the last place only (NumPy's float32 exp/log and BLAS products are not
reproduced bit for bit). SAVES and LOADS are written with np.save to arrays/saved/NAME.npy, listed in saves.tsv
with their expression and values (tolist), so the test can compare np.save's bytes and np.load's values. Tests never run this script.

    python3 scripts/reference/numpy_arrays.py
"""
import os

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "src", "test", "resources", "numpy", "arrays")

PRINTING = [
    "np.array([1.0, 2.5, -3.25])",
    "np.array([1.0, 2.0, 3.0], dtype=np.float32)",
    "np.array([0.1, 0.2, 0.3], dtype=np.float32)",
    "np.array([1e-5, 1.0, 2.0])",
    "np.array([1e-5, 1.5e10], dtype=np.float32)",
    "np.array([1e8, 1.0])",
    "np.array([1e6, 1.0], dtype=np.float32)",
    "np.array([999999.0, 1.0], dtype=np.float32)",
    "np.array([99999999.0, 1.0])",
    "np.array([0.001, 1.0])",
    "np.array([0.0001, 0.5])",
    "np.array([0.0001, 0.5], dtype=np.float32)",
    "np.array([1.0, 1000.0])",
    "np.array([1.0, 1001.0])",
    "np.array([1.1, 1.2345678e-5], dtype=np.float32)",
    "np.array([1.1, 1.2345678e-5])",
    "np.array([3.14159265358979, 2.718281828459045, 1e-3])",
    "np.array([0.123456789, 123.456789])",
    "np.array([0.123456789, 123.456789], dtype=np.float32)",
    "np.array([0.999999999, 0.5])",
    "np.array([np.nan, 1.0, -np.inf])",
    "np.array([np.nan, np.inf])",
    "np.array([np.nan, 1e-7, 1.0])",
    "np.array([-0.0, 0.0, 1.0])",
    "np.array([0.0, 0.0])",
    "np.array([-1.5, 2.25, -1000.125], dtype=np.float32)",
    "np.array([1e-300, 1e300])",
    "np.array([1.5e-10, -2.5e-12, 3.0e-11])",
    "np.array([123456789.0, 0.5], dtype=np.float32)",
    "np.array([1, -20, 300])",
    "np.array([1, 2, 3], dtype=np.int32)",
    "np.array([True, False, True])",
    "np.array([[True], [False]])",
    "np.arange(12).reshape(3, 4)",
    "np.arange(24).reshape(2, 3, 4)",
    "np.arange(24, dtype=np.float32).reshape(2, 3, 4) / 7",
    "np.arange(16).reshape(2, 2, 2, 2)",
    "np.arange(40) * 1000",
    "np.arange(30) / 7",
    "np.linspace(0, 1, 25, dtype=np.float32)",
    "np.arange(1001)",
    "np.arange(2000.0) / 3",
    "np.arange(3000).reshape(30, 100)",
    "np.arange(3000, dtype=np.float32).reshape(10, 10, 30)",
    "np.random.seed(1); np.random.randn(5, 4)",
    "np.random.seed(2); np.random.randn(6, 7).astype(np.float32)",
    "np.random.seed(3); np.random.rand(4, 3) * 1e-5",
    "np.random.seed(4); np.random.randn(12) * 1e5",
    "np.zeros((2, 0))",
    "np.zeros(0)",
    "np.zeros((0, 3), dtype=np.int32)",
    "np.array(3.5)",
    "np.array(3.5, dtype=np.float32)",
    "np.array(7)",
    "np.array(True)",
    "np.array([[1.5, 2.0], [3.0, 4.0]])",
    "np.array([[1e-8, 2.0], [3.0, 4.0]], dtype=np.float32)",
    "np.array([[1, 2], [3, 4]], dtype=np.int32)",
    "np.float32(1597.0376)",
    "np.float32(3.275607e-05)",
    "np.float64(0.1)",
    "np.float32(0.1)",
    "np.float64(1e16)",
    "np.int64(3)",
    "np.int32(-7)",
    "np.bool_(True)",
    "np.float32(np.nan)",
    "np.float64(-np.inf)",
    "np.float32(16777216.0)",
    "np.float32(3).astype(np.int64)",
    "np.array([1, 2, 3])[0]",
    "np.array([1.5, 2.5], dtype=np.float32)[1]",
]

PROMOTION = [f"np.array([1, 2], dtype=np.{a}) {op} np.array([3, 4], dtype=np.{b})"
             for a in ("bool_", "int32", "int64", "float32", "float64")
             for b in ("bool_", "int32", "int64", "float32", "float64")
             for op in ("+", "/")] + [
    f"np.array([1, 2], dtype=np.{a}) {op} {s}"
    for a in ("bool_", "int32", "int64", "float32", "float64")
    for s in ("True", "3", "2.5")
    for op in ("+", "*")] + [
    "np.float32(3.5) + np.float64(1.0)",
    "np.float32(3.5) * 2",
    "np.float32(3.5) * 2.0",
    "np.int64(3) + 1.5",
    "np.int32(3) / np.int32(2)",
    "np.int32(3) // 2",
    "np.array([1, 2], dtype=np.int32) + 3000000000",
    "np.array([2147483647], dtype=np.int32) + 1",
    "np.array([True, False]) - np.array([True, True])",
    "-np.array([True, False])",
    "~np.array([True, False])",
    "~np.array([5, -1])",
    "np.array([1.5]) & 1",
    "np.array([6, 5]) & np.array([3, 3])",
    "np.array([True, False]) | np.array([False, False])",
    "np.array([True, False]) ^ True",
    "np.array([1, 2, 3]) == np.array([1, 5, 3])",
    "np.array([1.0, np.nan]) != np.array([1.0, np.nan])",
    "np.array([1, 2, 3], dtype=np.float32) < 2.5",
    "np.array([0.1], dtype=np.float32) == 0.1",
    "np.array([1, 2]) >= np.array([[1], [3]])",
]

ARITHMETIC = [
    "np.array([7, -7, 7, -7]) // np.array([2, 2, -2, -2])",
    "np.array([7, -7, 7, -7]) % np.array([2, 2, -2, -2])",
    "np.array([7.5, -7.5, 7.5, -7.5]) // np.array([2, 2, -2, -2])",
    "np.array([7.5, -7.5, 7.5, -7.5]) % np.array([2, 2, -2, -2])",
    "np.array([7.5, -7.5, 0.3], dtype=np.float32) % np.float32(0.1)",
    "np.array([1.0, -0.0, 0.3]) // 0.1",
    "np.array([5, -5, 0]) // 0",
    "np.array([5, -5, 0]) % 0",
    "np.array([1.0, -1.0, 0.0]) / 0",
    "np.array([1.0, -1.0, 0.0]) // 0",
    "np.array([1.0, -1.0]) % 0",
    "np.array([2, 3]) ** 3",
    "np.array([2, 3]) ** -1",
    "np.array([2.0, 3.0], dtype=np.float32) ** 2",
    "np.array([2, 3]) ** 0.5",
    "np.array([0.1, 0.2, 0.7], dtype=np.float32) * np.float32(3.0) + np.float32(0.1)",
    "np.array([1, 2, 3]) / 3",
    "np.array([1, 2, 3], dtype=np.float32) / 3",
    "np.arange(6).reshape(2, 3) + np.array([10, 20, 30])",
    "np.arange(6).reshape(2, 3) * np.array([[1], [2]])",
    "np.arange(6).reshape(2, 3, 1) - np.arange(4)",
    "np.arange(3) + np.arange(4)",
    "np.arange(6).reshape(2, 3) + np.arange(2)",
    "np.arange(6).reshape(2, 3) @ np.arange(3)",
    "np.arange(6).reshape(2, 3) @ np.arange(12).reshape(3, 4)",
    "np.arange(3) @ np.arange(3)",
    "np.arange(6).reshape(2, 3) @ np.arange(4)",
    "approx: np.arange(6, dtype=np.float64).reshape(2, 3) @ np.arange(12.0).reshape(3, 4)",
    "approx: np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4) @ np.linspace(0, 2, 8, dtype=np.float32).reshape(4, 2)",
    "np.dot(np.arange(6).reshape(2, 3), np.arange(6).reshape(3, 2))",
    "np.dot(np.arange(6).reshape(2, 3), np.arange(6).reshape(2, 3))",
    "np.dot(2, np.arange(3))",
    "np.maximum(np.array([1, 5, 3]), 2)",
    "np.minimum(np.array([1.0, np.nan, 3.0]), 2.0)",
    "-np.array([1, -2], dtype=np.int32)",
    "+np.array([1.5])",
    "a = np.arange(4); a += 1; a",
    "a = np.arange(4.0, dtype=np.float32); a *= 2.5; a",
    "a = np.arange(4); a += 1.5; a",
    "a = np.ones((2, 3)); a -= np.array([1.0, 2.0, 3.0]); a",
]

INDEXING = [
    "np.arange(10)[3]",
    "np.arange(10)[-1]",
    "np.arange(10)[10]",
    "np.arange(10)[2:7]",
    "np.arange(10)[::-1]",
    "np.arange(10)[8:2:-2]",
    "np.arange(10)[-3:]",
    "np.arange(10)[:-7:-3]",
    "np.arange(10)[100:]",
    "np.arange(10)[::3]",
    "np.arange(12).reshape(3, 4)[1]",
    "np.arange(12).reshape(3, 4)[1, 2]",
    "np.arange(12).reshape(3, 4)[:, 0]",
    "np.arange(12).reshape(3, 4)[1:3, ::2]",
    "np.arange(12).reshape(3, 4)[::-1, ::-1]",
    "np.arange(12).reshape(3, 4)[-1, -2]",
    "np.arange(12).reshape(3, 4)[:, None, 1]",
    "np.arange(12).reshape(3, 4)[None]",
    "np.arange(12).reshape(3, 4)[np.array([2, 0])]",
    "np.arange(12).reshape(3, 4)[np.array([2, 0]), np.array([1, 3])]",
    "np.arange(12).reshape(3, 4)[:, np.array([3, 0, 0])]",
    "np.arange(12).reshape(3, 4)[np.array([[0, 1], [2, 0]])]",
    "np.arange(12).reshape(3, 4)[1, np.array([0, 2])]",
    "np.arange(24).reshape(2, 3, 4)[:, 1, np.array([0, 2])]",
    "np.arange(24).reshape(2, 3, 4)[np.array([0, 1]), :, np.array([0, 2])]",
    "np.arange(12).reshape(3, 4)[np.arange(12).reshape(3, 4) % 3 == 0]",
    "np.arange(12).reshape(3, 4)[np.array([True, False, True])]",
    "np.arange(12).reshape(3, 4)[:, np.array([True, False, True, False])]",
    "np.arange(12).reshape(3, 4)[np.array([True, False])]",
    "np.arange(12).reshape(3, 4)[1, 2, 3]",
    "np.arange(12).reshape(3, 4)[3]",
    "np.arange(12).reshape(3, 4)[np.array([0, 5])]",
    "np.arange(5.0)[[0, 3, 3]]",
    "np.arange(6.0)[1.0]",
    "a = np.arange(10); a[2:5] = 0; a",
    "a = np.arange(10); a[::-3] = -1; a",
    "a = np.arange(10.0); a[a > 4] = 1.5; a",
    "a = np.arange(10); a[a > 4] = 1.9; a",
    "a = np.zeros((3, 4)); a[1] = np.arange(4); a",
    "a = np.zeros((3, 4)); a[:, 2] = np.array([1, 2, 3]); a",
    "a = np.zeros((3, 4)); a[1:, 1:] = np.array([[1.0], [2.0]]); a",
    "a = np.zeros((3, 4), dtype=np.int32); a[np.array([0, 2]), np.array([1, 3])] = 7; a",
    "a = np.zeros(5, dtype=np.float32); a[0] = 0.1; a",
    "a = np.zeros(5); a[1:3] = np.array([1, 2, 3]); a",
    "a = np.arange(6).reshape(2, 3); a[0, 1] = -5; a",
    "a = np.arange(6); b = a[1:3]; b[0] = 100; a",
]

REDUCTIONS = [
    "np.arange(12).reshape(3, 4).sum()",
    "np.arange(12).reshape(3, 4).sum(axis=0)",
    "np.arange(12).reshape(3, 4).sum(axis=1)",
    "np.arange(12).reshape(3, 4).sum(axis=-1)",
    "np.arange(12, dtype=np.int32).sum()",
    "np.array([True, True, False]).sum()",
    "np.arange(12).reshape(3, 4).mean()",
    "np.arange(12).reshape(3, 4).mean(axis=0)",
    "np.arange(12).reshape(3, 4).mean(1)",
    "np.mean(np.array([1, 2, 3, 4]) == np.array([1, 0, 3, 4]))",
    "np.arange(12).reshape(3, 4).max()",
    "np.arange(12).reshape(3, 4).max(axis=0)",
    "np.arange(12).reshape(3, 4).min(axis=1)",
    "np.arange(12).reshape(3, 4).argmax()",
    "np.array([[1, 5, 5], [7, 0, 7]]).argmax(axis=1)",
    "np.array([[1, 5, 5], [7, 0, 7]]).argmin(axis=0)",
    "np.array([1.0, np.nan, 3.0]).max()",
    "np.array([1.0, np.nan, 3.0]).argmax()",
    "np.array([3.0, 1.0, np.nan]).argmin()",
    "np.arange(12).reshape(3, 4).std()",
    "np.arange(12).reshape(3, 4).var(axis=0)",
    "np.arange(12, dtype=np.float32).reshape(3, 4).std(axis=1)",
    "np.var(np.array([1.0, 2.0, 4.0]), ddof=1)",
    "np.array([0, 0, 1]).any()",
    "np.array([[1, 0], [1, 1]]).all(axis=0)",
    "np.prod(np.array([1, 2, 3, 4]))",
    "np.sum(np.array([[1, 2], [3, 4]]), axis=1, keepdims=True)",
    "np.zeros((0, 3)).sum(axis=0)",
    "np.zeros(0).max()",
    "np.zeros((3, 4)).sum(axis=2)",
    "np.array([-0.0], dtype=np.float32).sum()",
    "np.array([1.5, 2.5], dtype=np.float32).sum(dtype=np.float64)",
] + [
    f"np.random.seed({n}); a = (np.random.randn({n}) * 100).astype(np.float32); a.sum()" for n in
    (1, 5, 7, 8, 9, 15, 16, 17, 100, 127, 128, 129, 130, 255, 256, 257, 1000, 1001, 4099, 8192, 8193, 10000, 100003)
] + [
    f"np.random.seed({n}); a = (np.random.randn({n}) * 100).astype(np.float32); a.mean()" for n in
    (3, 130, 1000, 100003)
] + [
    "np.random.seed(11); a = np.random.rand(300, 200).astype(np.float32); a.sum()",
    "np.random.seed(11); a = np.random.rand(300, 200).astype(np.float32); a.sum(axis=0)",
    "np.random.seed(11); a = np.random.rand(300, 200).astype(np.float32); a.sum(axis=1)",
    "np.random.seed(11); a = np.random.rand(300, 200).astype(np.float32); a.mean(axis=0)",
    "np.random.seed(11); a = np.random.rand(300, 200).astype(np.float32); a.mean(axis=1)",
    "np.random.seed(11); a = np.random.rand(20, 300, 7).astype(np.float32); a.sum(axis=1)",
    "np.random.seed(11); a = np.random.rand(20, 300, 7).astype(np.float32); a.mean(axis=2)",
    "np.random.seed(12); a = np.random.rand(300, 1).astype(np.float32); a.sum(axis=0)",
    "np.random.seed(13); a = np.random.randn(1000, 10).astype(np.float32); a.std(axis=0)",
    "np.random.seed(13); a = np.random.randn(1000, 10).astype(np.float32); a.var()",
    "np.random.seed(14); a = np.random.randn(5000); a.sum()",
    "np.random.seed(14); a = np.random.randn(5000); a.mean()",
    "np.random.seed(15); a = np.random.randint(0, 1000, size=20000); a.mean()",
    "np.random.seed(15); a = np.random.randn(20000) > 0; a.mean()",
]

FUNCTIONS = [
    "np.zeros((2, 3))",
    "np.zeros(3, dtype=np.int32)",
    "np.ones((2, 2), dtype=np.float32)",
    "np.ones(3, dtype=bool)",
    "np.full((2, 2), 7)",
    "np.full(3, 2.5, dtype=np.float32)",
    "np.zeros_like(np.arange(3))",
    "np.ones_like(np.arange(4.0, dtype=np.float32))",
    "np.empty((2, 0))",
    "np.zeros(-1)",
    "np.zeros((100000, 100000, 100))",
    "np.arange(5)",
    "np.arange(2, 11, 3)",
    "np.arange(10, 0, -3)",
    "np.arange(0, 1, 0.1)",
    "np.arange(0.5, 3)",
    "np.arange(0, 1, 0.1, dtype=np.float32)",
    "np.arange(5, dtype=np.float32)",
    "np.arange(-1.0, 1.0, 0.3)",
    "np.linspace(0, 1, 5)",
    "np.linspace(-2.5, 3.7, 11)",
    "np.linspace(0, 1, 4, endpoint=False)",
    "np.linspace(1, 2, 1)",
    "np.eye(3)",
    "np.eye(2, 3, k=1, dtype=np.int32)",
    "np.identity(2)",
    "np.array([[1, 2], [3, 4.5]])",
    "np.array([1, 2], dtype=np.float32)",
    "np.array([True, 2])",
    "np.array([[1, 2], [3]])",
    "np.array([np.float32(1.5), np.float32(2.5)])",
    "np.asarray([1.5, 2])",
    "np.array([])",
    "np.exp(np.array([0.0, 1.0, -2.5]))",
    "approx: np.exp(np.array([0.0, 1.0, -2.5], dtype=np.float32))",
    "np.log(np.array([1.0, 10.0, 0.0]))",
    "np.sqrt(np.array([4, 2]))",
    "np.sqrt(np.array([4.0, 2.0], dtype=np.float32))",
    "np.abs(np.array([-1.5, 2.0]))",
    "np.abs(np.array([-3, 2], dtype=np.int32))",
    "np.square(np.array([1.5, -2.0], dtype=np.float32))",
    "np.square(np.array([3, -2]))",
    "np.clip(np.array([1, 5, 10]), 2, 8)",
    "np.clip(np.array([1.0, 5.0, 10.0], dtype=np.float32), 2, 8.5)",
    "np.clip(np.arange(5), 1, None)",
    "np.where(np.array([True, False, True]), np.array([1, 2, 3]), 0)",
    "np.where(np.array([1.0, -1.0], dtype=np.float32) > 0, np.array([1.0, -1.0], dtype=np.float32), 0.0)",
    "np.where(np.array([[0, 1], [1, 0]]))",
    "np.round(np.array([0.5, 1.5, 2.5, -0.5, 2.675]))",
    "np.round(np.array([1.2345, 2.675, -3.14159]), 2)",
    "np.round(np.array([1.2345, 2.675], dtype=np.float32), 2)",
    "np.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.0000001]))",
    "np.allclose(np.array([1.0, 2.0]), np.array([1.0, 2.1]))",
    "np.isnan(np.array([1.0, np.nan]))",
    "np.any(np.array([0, 0]))",
    "np.all(np.array([1, 2]))",
    "np.concatenate([np.arange(3), np.arange(2)])",
    "np.concatenate([np.arange(6).reshape(2, 3), np.zeros((1, 3))])",
    "np.concatenate([np.arange(6).reshape(2, 3), np.ones((2, 1), dtype=np.int32)], axis=1)",
    "np.concatenate([np.arange(6).reshape(2, 3), np.ones((2, 2))])",
    "np.stack([np.arange(3), np.arange(3)])",
    "np.stack([np.arange(3), np.arange(3)], axis=1)",
    "np.vstack([np.arange(3), np.arange(3, 6)])",
    "np.hstack([np.arange(3), np.arange(2)])",
    "np.hstack([np.zeros((2, 1)), np.ones((2, 2))])",
    "np.reshape(np.arange(6), (3, 2))",
    "np.arange(6).reshape(-1, 2)",
    "np.arange(6).reshape(2, -1, 1)",
    "np.arange(6).reshape((3, -1))",
    "np.arange(6).reshape(4, -1)",
    "np.arange(6).reshape(-1, -1)",
    "np.transpose(np.arange(6).reshape(2, 3))",
    "np.arange(24).reshape(2, 3, 4).transpose(1, 0, 2)",
    "np.arange(24).reshape(2, 3, 4).T",
    "np.argsort(np.array([3, 1, 2]))",
    "np.sort(np.array([3.0, np.nan, 1.0, 2.0]))",
    "np.unique(np.array([3, 1, 3, 2, 1]))",
    "np.float32(3)",
    "np.float64(2)",
    "np.int32(3.9)",
    "np.int64(-3.9)",
    "np.float32(np.array([1.5, 2.5]))",
    "np.argmax(np.array([[1, 9], [8, 2]]), axis=0)",
    "np.count_nonzero(np.array([0, 1, 2]))",
    "np.squeeze(np.zeros((1, 3, 1)))",
    "np.expand_dims(np.arange(3), 0)",
    "np.matmul(np.ones((2, 2, 3)), np.ones((3, 2)))",
    "np.arange(6).reshape(2, 3).shape",
    "np.arange(6).reshape(2, 3).dtype",
    "np.arange(6).reshape(2, 3).ndim",
    "np.arange(6).reshape(2, 3).size",
    "np.arange(6).reshape(2, 3).tolist()",
    "np.arange(3.0, dtype=np.float32).tolist()",
    "np.array([[True]]).tolist()",
    "np.arange(6).reshape(2, 3).astype(np.float32)",
    "np.array([1.7, -1.7, np.nan]).astype(np.int64)",
    "np.array([1.7, -1.7, 0.0]).astype(np.int32)",
    "np.array([0.5, 0.0]).astype(bool)",
    "np.array([2.5]).item()",
    "np.array([[7]]).item()",
    "np.arange(3).item()",
    "np.arange(6).reshape(2, 3).flatten()",
    "np.arange(6).reshape(2, 3).ravel()",
    "np.arange(6).reshape(2, 3).copy()",
    "np.arange(6).reshape(2, 3).foo",
    "np.frobnicate(3)",
    "np.zeros(3, dtype='float32')",
    "np.zeros(3, dtype='bogus')",
    "np.zeros(3, foo=1)",
]

RANDOM = [
    "np.random.seed(5); np.random.rand()",
    "np.random.seed(5); np.random.randn()",
    "np.random.seed(5); np.random.randint(10)",
    "np.random.seed(5); np.random.randint(3, 10, size=(2, 3))",
    "np.random.seed(5); np.random.randint(0, 10, size=4, dtype=np.int32)",
    "np.random.seed(5); np.random.uniform(-1, 1, size=(2, 2))",
    "np.random.seed(5); np.random.normal(0.0, 0.1, size=(3, 2))",
    "np.random.seed(5); np.random.normal(size=4)",
    "np.random.seed(5); np.random.random((2, 2))",
    "np.random.seed(5); np.random.random_sample(3)",
    "np.random.seed(5); np.random.permutation(10)",
    "np.random.seed(5); np.random.permutation(np.arange(10) * 2)",
    "np.random.seed(5); np.random.permutation(np.arange(12).reshape(4, 3))",
    "np.random.seed(5); a = np.arange(12).reshape(6, 2); np.random.shuffle(a); a",
    "np.random.seed(5); a = np.arange(8.0); np.random.shuffle(a); a",
    "np.random.seed(5); np.random.choice(10, 4, replace=False)",
    "np.random.seed(5); np.random.choice(10, 4)",
    "np.random.seed(5); np.random.choice(np.arange(5) * 10, 3)",
    "np.random.seed(5); np.random.randn(3); np.random.randn(2, 2)",
    "np.random.seed(5); np.random.rand(2, 0)",
    "np.random.seed(-1)",
    "np.random.seed(5); np.random.randint(5, 5)",
]

# Random arrays of every magnitude, float32 and float64, some with a NaN, an inf or a zero: the printer's
# choice of notation, digits and padding.
PRINTING_SWEEP = [
    f"np.random.seed({seed}); a = np.random.randn({n}) * {scale}; {extra}a.astype(np.{t})"
    for seed, (n, scale, extra) in enumerate(
        (n, scale, extra)
        for n in (1, 4, 9)
        for scale in ("1e-9", "1e-5", "3e-4", "0.01", "1.0", "77.0", "1e4", "3e5", "2e6", "1e7", "1e9", "1e20")
        for extra in ("", "a[0] = np.nan; ", "a[0] = 0.0; ", "a[0] = -np.inf; "))
    for t in ("float32", "float64")
    if not (n == 1 and extra)
] + [
    f"np.random.seed({seed}); np.random.randint(-10 ** {k}, 10 ** {k}, size=(3, 5)).astype(np.{t})"
    for seed, k in enumerate(range(1, 10)) for t in ("float32", "float64", "int32")
]

# Idioms of TF1 tutorial scripts: making data, minibatches, accuracies, losses.
TUTORIAL = [
    "np.random.seed(0); x = np.random.rand(100).astype(np.float32); y = x * 0.1 + 0.3; y[:5]",
    "np.random.seed(0); p = np.random.rand(8, 3); y = np.eye(3)[np.random.randint(0, 3, 8)]; "
    "np.mean(np.argmax(p, 1) == np.argmax(y, 1))",
    "np.random.seed(0); x = np.random.randn(10, 4); idx = np.random.permutation(10); x[idx][:3]",
    "np.random.seed(0); x = np.random.randn(10, 4); x[3:7]",
    "np.random.seed(0); x = np.random.randn(10, 4); x[8:12]",
    "np.float32(0.1) * 3",
    "np.linspace(-1, 1, 5)[:, np.newaxis]",
    "np.random.seed(1); np.random.normal(0, 0.05, (3, 2)).astype(np.float32)",
    "np.sum(np.square(np.array([1.0, 2.0], dtype=np.float32) - 0.5))",
    "np.arange(10).reshape(5, 2)[np.array([4, 0, 2])]",
    "np.zeros((2, 3))[:, :, None].shape",
    "(np.arange(6) % 2 == 0).astype(np.float32).mean()",
    "np.array([[0.1, 0.9], [0.8, 0.2]]).argmax(axis=1)",
    "np.sqrt(np.mean(np.square(np.arange(5.0))))",
    "np.arange(5)[np.arange(5) > 2].sum()",
    "np.max(np.abs(np.array([-3.5, 2.0])))",
    "np.std(np.array([1.0, 2.0, 3.0, 4.0], dtype=np.float32))",
    "np.int64(7) // 2",
    "np.int64(7) % -3",
    "np.float64(7.5) // 2",
    "np.float32(1) / 3",
    "np.array([1, 2, 3]).astype('float32')",
    "np.arange(6).reshape((2, 3)).sum(0)",
    "np.ones((2, 3), dtype='int32').tolist()",
    "np.array([[1.0, 2.0]]).T",
    "np.arange(3).T",
    "np.argsort(np.array([[3, 1, 2], [0, 5, 4]]), axis=1)",
    "np.sort(np.array([[3, 1, 2], [0, 5, 4]]), axis=0)",
    "a = np.array([[3, 1, 2], [0, 5, 4]]); a.sort(); a",
    "np.arange(4).reshape(2, 2) @ np.eye(2)",
    "np.random.seed(3); np.random.uniform(size=3)",
    "np.random.seed(3); np.random.randn(4, 1) * 2 + 1",
    "np.random.seed(3); x = np.random.rand(5, 2).astype(np.float32); (x.mean(axis=0), x.std(axis=0))",
    "np.array([1.0, 2.0, 3.0], dtype=np.float32).sum() / 3",
    "np.array([0.5, 0.25]) * np.array([[2], [4]], dtype=np.int32)",
    "np.float32(2.5) > 2",
    "np.float64(2.5) == np.float32(2.5)",
    "np.float32(1e10)",
    "np.float32(3.0) ** 2",
    "np.int32(5) * np.int64(2)",
    "np.arange(12).reshape(3, 4).mean(axis=0).shape",
    "np.arange(12.0).reshape(3, 4)[1:, :2] * 1e-6",
    "np.concatenate([np.zeros(2, dtype=np.float32), np.ones(2)])",
    "np.array([[1, 2], [3, 4]]).sum(axis=None)",
    "np.zeros(3) + np.arange(3, dtype=np.int32)",
    "np.array([1e-3, 1e3])",
    "np.array([1e-3, 1e3], dtype=np.float32)",
    "np.array([0.001, 1.0, 1000.0])",
]

CASES = PRINTING + PRINTING_SWEEP + TUTORIAL + PROMOTION + ARITHMETIC + INDEXING + REDUCTIONS + FUNCTIONS + RANDOM

SAVES = [
    ("f32", "np.arange(12, dtype=np.float32).reshape(3, 4) / 7"),
    ("f64", "np.linspace(-1, 1, 7)"),
    ("i32", "np.arange(-3, 3, dtype=np.int32)"),
    ("i64", "np.arange(5) * 1000000000000"),
    ("bool", "np.array([[True, False], [False, True]])"),
    ("scalar0d", "np.array(2.5)"),
    ("empty", "np.zeros((0, 3), dtype=np.float32)"),
    ("big_dim", "np.zeros((12345, 2), dtype=np.int32)"),
    ("f32_3d", "np.ones((2, 3, 4), dtype=np.float32)"),
]

# Arrays of other dtypes, written for np.load only (Kiln reads them as int64).
LOADS = [
    ("u8", "np.array([0, 200, 255], dtype=np.uint8)"),
    ("i8", "np.array([-128, 0, 127], dtype=np.int8)"),
    ("i16", "np.array([[-300, 300]], dtype=np.int16)"),
    ("u16", "np.array([65535], dtype=np.uint16)"),
    ("u32", "np.array([4294967295, 1], dtype=np.uint32)"),
]


APPROX = "approx: "


def run(case):
    text = case.removeprefix(APPROX)
    env = {"np": np}
    parts = text.split("; ")
    for stmt in parts[:-1]:
        exec(stmt, env)
    return eval(parts[-1], env)


def esc(s):
    return s.replace("\\", "\\\\").replace("\n", "\\n").replace("\t", "\\t")


def line(case):
    np.random.seed(0)
    try:
        r = run(case)
    except Exception as e:  # the message is the expected result
        return [case, "error", type(e).__name__, "", "", "", esc(str(e))]
    if isinstance(r, np.ndarray):
        kind = "array"
    elif isinstance(r, np.generic):
        kind = "scalar"
    else:
        return [case, "py", "", "", "", esc(str(r)), esc(repr(r))]
    data = np.ascontiguousarray(r).astype(r.dtype.newbyteorder("<")).tobytes().hex()
    return [case, kind, str(r.dtype), ",".join(str(d) for d in r.shape), data, esc(str(r)), esc(repr(r))]


def main():
    os.makedirs(os.path.join(OUT, "saved"), exist_ok=True)
    with open(os.path.join(OUT, "cases.tsv"), "w") as out:
        for case in CASES:
            out.write("\t".join(line(case)) + "\n")
    with open(os.path.join(OUT, "saves.tsv"), "w") as out:
        for name, expr in SAVES + LOADS:
            a = run(expr)
            np.save(os.path.join(OUT, "saved", name + ".npy"), a)
            values = repr(a.tolist()) if a.size <= 100 else "-"
            out.write(f"{name}\t{'save' if (name, expr) in SAVES else 'load'}\t{expr}\t{values}\n")
    print(np.__version__, len(CASES), "cases")


if __name__ == "__main__":
    main()
