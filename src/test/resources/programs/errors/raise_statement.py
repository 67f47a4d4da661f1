import numpy as np

n = 3
if n < 4:
    raise ValueError('too few rows')
