import numpy as np

a = np.ones((3, 4))
b = np.ones((2, 4))
c = a + b
