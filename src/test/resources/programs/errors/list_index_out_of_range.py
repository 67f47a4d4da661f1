rates = [0.1, 0.01, 0.001]
print(rates[3])
