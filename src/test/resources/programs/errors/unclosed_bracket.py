import numpy as np

data = np.array([[1.0, 2.0],
                 [3.0, 4.0]
print(data)
