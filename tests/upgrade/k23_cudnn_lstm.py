# upgrade: Keras 2.x CuDNNLSTM stacked (return_sequences=True); CuDNNLSTM keeps two bias vectors (8 * units)
# keras-version: 2.3
# crashes-on-keras3: ImportError: cannot import name 'CuDNNLSTM' from 'keras.layers'
# checked: tensorflow-cpu 2.15.1 builds this model with tf.compat.v1.keras.layers' CuDNN layers
# model: model (None, 2) 1770
# keras3-model: model (None, 2) 1690  (TDL308, unsafe: LSTM has one bias vector, CuDNNLSTM two: 4 * (16 + 4) parameters fewer)
import numpy as np
from keras.models import Sequential
from keras.layers import CuDNNLSTM, Dense

x = np.random.random((32, 10, 4))
y = np.eye(2)[np.random.randint(0, 2, 32)]

model = Sequential()
model.add(CuDNNLSTM(16, input_shape=(10, 4), return_sequences=True))
model.add(CuDNNLSTM(4))
model.add(Dense(2, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
