# fixed; the original crashes: Keras 3 (the labels' sample axis meets the 12 timesteps)
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(64, 12, 4)
y = np.random.rand(64, 3)
model = keras.Sequential(
    [keras.Input(shape=(12, 4)), layers.LSTM(16), layers.Dense(3)]
)
model.compile(optimizer="adam", loss="mae")
model.fit(X, y, epochs=1, verbose=0)
