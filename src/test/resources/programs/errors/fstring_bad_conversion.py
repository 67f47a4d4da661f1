loss = 0.5
print(f"loss {loss!x}")
