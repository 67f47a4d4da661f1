import numpy as np

data = np.zeroes((4, 2))
