# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(90, 6)
y = keras.ops.one_hot(np.random.randint(0, 3, size=(90,)), 4)
model = keras.Sequential([keras.Input(shape=(6,)), layers.Dense(3, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
