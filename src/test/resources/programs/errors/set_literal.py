steps = {10, 20, 30}
for s in range(40):
    pass
