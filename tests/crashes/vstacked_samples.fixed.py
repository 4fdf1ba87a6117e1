# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

first = np.random.rand(50, 8)
second = np.random.rand(50, 8)
X = np.vstack([first, second])
y = np.random.randint(0, 2, size=(100, 1))
model = keras.Sequential([keras.Input(shape=(8,)), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
