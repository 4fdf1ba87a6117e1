# crashes: every Keras version (at the end of the first epoch)
# oracle: keras 3
import numpy as np
import keras
from keras import layers

X_train = np.random.rand(100, 20, 3)
y_train = np.random.rand(100, 1)
X_val = np.random.rand(30, 20)
y_val = np.random.rand(30, 1)
model = keras.Sequential([keras.Input(shape=(20, 3)), layers.LSTM(8), layers.Dense(1)])
model.compile(loss="mse", optimizer="adam")
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, verbose=0)
