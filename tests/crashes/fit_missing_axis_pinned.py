# crashes: Keras 2.0-2.3 (tf.keras 2 and Keras 3 add the axis)
# keras-version: 2.3
import numpy as np
from keras.models import Sequential
from keras.layers import Conv1D, GlobalMaxPooling1D, Dense

X = np.random.rand(500, 128)
y = np.random.randint(0, 2, size=(500,))
model = Sequential([Conv1D(16, 5, activation="relu", input_shape=(128, 1)), GlobalMaxPooling1D(), Dense(1, activation="sigmoid")])
model.compile(loss="binary_crossentropy", optimizer="adam")
model.fit(X, y, epochs=5)
