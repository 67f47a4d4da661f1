def batches(n):
    for i in range(n):
        yield i
