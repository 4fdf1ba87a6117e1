# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

text = keras.Input(shape=(4,))
meta = keras.Input(shape=(6,))
merged = layers.Concatenate()([text, meta])
model = keras.Model([text, meta], layers.Dense(1)(merged))
model.compile(loss="mse", optimizer="adam")
model.fit(np.random.rand(10, 4), np.random.rand(10, 1), epochs=1, verbose=0)
