# upgrade: Keras 1 GRU (no reset_after: 3 biases, not 6) and keras.layers.wrappers.TimeDistributed, nb_epoch
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.wrappers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 10, 1) 1025
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, GRU
from keras.layers.wrappers import TimeDistributed

x = np.random.random((32, 10, 4))
y = np.random.random((32, 10, 1))

model = Sequential()
model.add(GRU(16, input_shape=(10, 4), return_sequences=True, inner_activation='sigmoid'))
model.add(TimeDistributed(Dense(1)))
model.compile(loss='mse', optimizer='adam')
model.fit(x, y, nb_epoch=1, batch_size=8, verbose=0)
