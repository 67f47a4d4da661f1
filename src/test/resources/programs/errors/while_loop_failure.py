rate = 1.0
steps = 0
while rate > 0.01:
    rate = rate / (3 - steps)
    steps += 1
