def scale(v, factor=2.0):
    return v * factor


print(scale(3.0, scale=4.0))
