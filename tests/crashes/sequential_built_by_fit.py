# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(120, 20)
y = keras.utils.to_categorical(np.random.randint(0, 5, size=(120,)), 5)
model = keras.Sequential()
model.add(layers.Dense(32, activation="relu"))
model.add(layers.Dense(3, activation="softmax"))
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
