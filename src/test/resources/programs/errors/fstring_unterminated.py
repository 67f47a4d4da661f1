step = 3
loss = 0.5
print(f"step {step}: loss {loss:.3f})
