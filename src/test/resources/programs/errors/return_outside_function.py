n = 3
for i in range(n):
    return i
