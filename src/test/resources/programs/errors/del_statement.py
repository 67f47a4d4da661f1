import numpy as np

data = np.zeros((4, 2))
del data
