# fixed; the original crashes: tf.keras 2 (and Keras 3, which TensorFlow 2.16+ installs)
import numpy as np
from tensorflow.keras.models import Sequential
from tensorflow.keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense
from tensorflow.keras.utils import to_categorical

X = np.random.rand(64, 28, 28, 1)
y = to_categorical(np.random.randint(0, 10, size=(64,)), 10)
model = Sequential()
model.add(Convolution2D(32, (3, 3), activation="relu", input_shape=(28, 28, 1)))
model.add(Convolution2D(64, (3, 3), activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Convolution2D(64, (3, 3), activation="relu"))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1)
