import numpy as np

x_train = np.load('no_such_dir/x_train.npy')
