# upgrade: Keras 1 SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
# keras-version: 1.2
# crashes-on-keras3: ValueError: Argument(s) not recognized: {'lr': 0.01}
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 10) 874
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import SGD

x = np.random.random((32, 16))
y = np.eye(10)[np.random.randint(0, 10, 32)]

model = Sequential()
model.add(Dense(32, input_dim=16, activation='relu'))
model.add(Dense(10, activation='softmax'))
sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd)
model.fit(x, y, nb_epoch=1, batch_size=16, verbose=0)
