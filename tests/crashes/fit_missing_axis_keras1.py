# crashes: Keras 1 and Keras 2.0-2.3 (tf.keras 2 and Keras 3 add the axis)
# keras-version: 1.2
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense

X = np.random.rand(200, 30)
y = np.random.rand(200, 1)
model = Sequential()
model.add(LSTM(32, input_shape=(30, 1)))
model.add(Dense(1))
model.compile(loss="mean_squared_error", optimizer="adam")
model.fit(X, y, nb_epoch=10, batch_size=32)
