# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers
from keras.utils import to_categorical

X = np.random.rand(120, 28, 28)
y = to_categorical(np.random.randint(0, 10, size=(120,)), num_classes=10)
model = keras.Sequential(
    [keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(64, activation="relu"), layers.Dense(10, activation="softmax")]
)
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
