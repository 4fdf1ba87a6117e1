# upgrade: Keras 1 LSTM(output_dim=, input_dim=, input_length=, init, inner_init, inner_activation, consume_less, dropout_W, dropout_U), keras.layers.recurrent
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.recurrent'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 3) 5347
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.layers.recurrent import LSTM

data = np.random.random((32, 10, 8))
labels = np.eye(3)[np.random.randint(0, 3, 32)]

model = Sequential()
model.add(LSTM(output_dim=32, input_dim=8, input_length=10, init='glorot_uniform',
               inner_init='orthogonal', activation='tanh', inner_activation='hard_sigmoid',
               consume_less='gpu', dropout_W=0.2, dropout_U=0.2))
model.add(Dense(3, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
model.fit(data, labels, batch_size=8, nb_epoch=1, verbose=0)
loss, acc = model.evaluate(data, labels, verbose=0)
