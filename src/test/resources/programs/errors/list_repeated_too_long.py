steps = 10 ** 12
losses = [0.0] * steps
