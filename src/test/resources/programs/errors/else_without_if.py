n = 3
print(n)
else:
    print('never')
