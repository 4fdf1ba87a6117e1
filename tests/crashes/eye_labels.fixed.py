# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X = np.random.rand(200, 16)
labels = np.random.randint(0, 10, size=(200,))
y = np.eye(5)[labels % 5]
model = keras.Sequential(
    [keras.Input(shape=(16,)), layers.Dense(32, activation="relu"), layers.Dense(5, activation="softmax")]
)
model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["accuracy"])
model.fit(X, y, epochs=1, batch_size=32, verbose=0)
