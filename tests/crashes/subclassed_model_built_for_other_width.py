# crashes: tf.keras 2, whose build() runs call() (Keras 3 builds the layers at the first fit instead)
# keras-version: 2.12
import numpy as np
import keras
from keras import layers


class Regressor(keras.Model):
    def __init__(self):
        super().__init__()
        self.hidden = layers.Dense(16, activation="relu")
        self.out = layers.Dense(1)

    def call(self, x):
        return self.out(self.hidden(x))


model = Regressor()
model.build((None, 20))
model.compile(optimizer="adam", loss="mse")
model.fit(np.random.rand(64, 30), np.random.rand(64, 1), epochs=1, verbose=0)
