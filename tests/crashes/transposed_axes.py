# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

raw = np.random.rand(50, 3, 40)  # samples, channels, timesteps
X = raw.transpose(0, 1, 2)
y = np.random.rand(50, 1)
model = keras.Sequential([keras.Input(shape=(40, 3)), layers.LSTM(16), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
