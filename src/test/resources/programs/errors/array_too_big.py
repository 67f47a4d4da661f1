import numpy as np

big = np.zeros((100000, 100000, 100000))
