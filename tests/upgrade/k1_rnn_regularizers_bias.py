# upgrade: Keras 1 W_regularizer, U_regularizer, b_regularizer, W_constraint, b_constraint, bias=False, SimpleRNN(input_dim=, input_length=)
# keras-version: 1.2
# crashes-on-keras3: ValueError: Unrecognized keyword arguments passed to SimpleRNN: {'input_length': 7, 'W_regularizer': <keras...
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 300
import numpy as np
from keras.models import Sequential
from keras.layers import SimpleRNN, Dense
from keras.regularizers import l1, l2
from keras.constraints import MaxNorm

x = np.random.random((32, 7, 5))
y = np.random.random((32, 1))

model = Sequential()
model.add(SimpleRNN(12, input_dim=5, input_length=7, W_regularizer=l2(0.01),
                    U_regularizer=l2(0.01), b_regularizer=l1(0.01)))
model.add(Dense(6, activation='relu', W_constraint=MaxNorm(2.), b_constraint=MaxNorm(2.)))
model.add(Dense(1, bias=False))
model.compile(loss='mse', optimizer='sgd')
model.fit(x, y, nb_epoch=1, verbose=0)
