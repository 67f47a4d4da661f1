loss = 0.5
print(f"loss {loss:.3f}")
print(f"done {loss)
