loss = 0.5
print 'loss', loss
