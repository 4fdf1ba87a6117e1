# upgrade: Keras 1 TimeDistributedDense after an LSTM(return_sequences=True) (rule TDL002)
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'TimeDistributedDense' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 6, 2) 582
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, TimeDistributedDense

x = np.random.random((32, 6, 3))
y = np.eye(2)[np.random.randint(0, 2, (32, 6))]

model = Sequential()
model.add(LSTM(10, input_shape=(6, 3), return_sequences=True))
model.add(TimeDistributedDense(2, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam')
model.fit(x, y, nb_epoch=1, verbose=0)
