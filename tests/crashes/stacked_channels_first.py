# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

red = np.random.rand(64, 32, 32)
green = np.random.rand(64, 32, 32)
X = np.stack([red, green], axis=1)
y = np.random.randint(0, 2, size=(64,))
model = keras.Sequential(
    [keras.Input(shape=(32, 32, 2)), layers.Conv2D(8, 3, activation="relu"), layers.GlobalAveragePooling2D(), layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
