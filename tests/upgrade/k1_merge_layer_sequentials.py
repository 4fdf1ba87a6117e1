# upgrade: Keras 1 Merge layer joining two Sequential branches inside a Sequential (mode='concat')
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'Merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: left (None, 8) 56
# model: right (None, 8) 40
# model: model (None, 1) 113
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Merge

x_left = np.random.random((32, 6))
x_right = np.random.random((32, 4))
y = np.random.randint(0, 2, (32, 1))

left = Sequential()
left.add(Dense(8, input_dim=6, activation='relu'))
right = Sequential()
right.add(Dense(8, input_dim=4, activation='relu'))

model = Sequential()
model.add(Merge([left, right], mode='concat'))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='rmsprop')
model.fit([x_left, x_right], y, batch_size=8, nb_epoch=1, verbose=0)
