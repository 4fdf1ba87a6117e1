# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(100, 12)
y = np.random.randint(0, 2, size=(100,))
model = keras.Sequential([keras.Input(shape=(12,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
