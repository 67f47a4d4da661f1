def scale(v, factor):
    return v * factor


print(scale(2.0, 3.0, 4.0))
