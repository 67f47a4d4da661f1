history = [0.9, 0.5, 0.2, 0.1]
print(history[::0])
