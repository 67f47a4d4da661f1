import numpy as np

data = np.zeros((4, 2))
assert data.shape == (4, 2)
