feeds = {'a': 1}
}
