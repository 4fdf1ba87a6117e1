# crashes: Keras 1 and 2 (fit_generator was removed in Keras 3)
# keras-version: 2.3
import numpy as np
from keras.models import Sequential
from keras.layers import Dense


def generate(batch_size):
    while True:
        yield np.random.rand(batch_size, 9), np.random.rand(batch_size, 1)


model = Sequential([Dense(16, activation="relu", input_shape=(10,)), Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit_generator(generate(32), steps_per_epoch=100, epochs=5)
