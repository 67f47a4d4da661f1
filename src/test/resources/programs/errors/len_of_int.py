n = 100
print(len(n))
