sizes = (64, 10)
rows, cols, depth = sizes
