# fixed; the original crashes: Keras 1 (Merge was removed in Keras 2.2)
# keras-version: 1.2
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Merge

left = Sequential()
left.add(Dense(32, input_dim=784))
right = Sequential()
right.add(Dense(32, input_dim=100))
model = Sequential()
model.add(Merge([left, right], mode="sum"))
model.add(Dense(10, activation="softmax"))
model.compile(loss="categorical_crossentropy", optimizer="rmsprop")
model.fit([np.random.rand(100, 784), np.random.rand(100, 100)], np.random.rand(100, 10), nb_epoch=10)
