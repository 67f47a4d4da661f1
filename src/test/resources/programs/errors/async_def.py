import tensorflow as tf


async def train():
    pass
