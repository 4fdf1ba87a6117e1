# upgrade: Keras 2.x CuDNNGRU (from keras.layers import CuDNNGRU): Keras 3's GRU with reset_after=True has the same weights
# keras-version: 2.3
# crashes-on-keras3: ImportError: cannot import name 'CuDNNGRU' from 'keras.layers'
# checked: tensorflow-cpu 2.15.1 builds this model with tf.compat.v1.keras.layers' CuDNN layers
# model: model (None, 1) 1073
import numpy as np
from keras.models import Sequential
from keras.layers import CuDNNGRU, Dense

x = np.random.random((32, 10, 4))
y = np.random.random((32, 1))

model = Sequential()
model.add(CuDNNGRU(16, input_shape=(10, 4)))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
