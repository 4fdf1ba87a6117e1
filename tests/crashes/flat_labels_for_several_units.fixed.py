# fixed; the original crashes: Keras 3 and Keras 1-2.3 (tf.keras 2 trains every unit on one label)
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(256, 10)
y = np.random.rand(256)
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(32, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
