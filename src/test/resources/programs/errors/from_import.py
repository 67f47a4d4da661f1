import tensorflow as tf
from numpy import zeros

x = zeros((2, 2))
