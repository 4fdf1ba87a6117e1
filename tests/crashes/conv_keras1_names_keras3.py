# crashes: tf.keras 2 and Keras 3 (Convolution2D(32, 3, 3) has strides 3 there)
# keras-version: 3
# oracle: keras 3
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Convolution2D, MaxPooling2D, Flatten, Dense

X = np.random.rand(64, 28, 28, 1)
y = keras.utils.to_categorical(np.random.randint(0, 10, size=(64,)), 10)
model = Sequential()
model.add(Convolution2D(32, 3, 3, activation="relu", input_shape=(28, 28, 1)))
model.add(Convolution2D(32, 3, 3, activation="relu"))
model.add(Convolution2D(64, 3, 3, activation="relu"))
model.add(MaxPooling2D(pool_size=(2, 2)))
model.add(Flatten())
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(X, y, epochs=1, verbose=0)
