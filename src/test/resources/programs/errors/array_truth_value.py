import numpy as np

data = np.array([1.0, 2.0])
if data > 1.5:
    print('big')
