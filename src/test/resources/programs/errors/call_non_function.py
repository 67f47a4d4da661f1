rate = 0.1
decayed = rate(2)
