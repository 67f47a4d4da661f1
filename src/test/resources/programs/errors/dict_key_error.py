config = {'rate': 0.1, 'steps': 10}
print(config['epochs'])
