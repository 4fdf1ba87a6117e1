# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers


def batches(batch_size=16):
    while True:
        x = np.random.rand(batch_size, 20, 3)
        y = np.random.randint(0, 2, size=(batch_size, 2))
        yield x, y


model = keras.Sequential([keras.Input(shape=(20, 3)), layers.LSTM(8), layers.Dense(2, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(batches(), steps_per_epoch=2, epochs=1, verbose=0)
