# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

numeric = np.random.rand(80, 10)
categorical = np.random.randint(0, 2, size=(80, 5))
X = np.concatenate([numeric, categorical], axis=1)
y = np.random.rand(80, 1)
model = keras.Sequential([keras.Input(shape=(10,)), layers.Dense(16, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
