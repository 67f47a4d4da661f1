import numpy as np

data = np.arange(10)
grid = data.reshape(3, 4)
