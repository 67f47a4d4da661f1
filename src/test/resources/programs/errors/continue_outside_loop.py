def step(i):
    continue
