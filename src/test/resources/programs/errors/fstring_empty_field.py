loss = 0.5
print(f"loss {} at the end")
