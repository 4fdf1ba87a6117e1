# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

model = keras.Sequential([keras.Input(shape=(16,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="sgd", loss="mse")
for step in range(3):
    batch_x = np.random.rand(32, 16)
    batch_y = np.random.rand(32, 1)
    loss = model.train_on_batch(batch_x, batch_y)
