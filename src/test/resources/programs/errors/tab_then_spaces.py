total = 0
if total == 0:
        total = 1
	print(total)
