# upgrade: Keras 1 Dense(output_dim=, init=), Dropout(p=), keras.layers.core imports, fit(nb_epoch=)
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.core'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 1409
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation

x_train = np.random.random((32, 20))
y_train = np.random.randint(2, size=(32, 1))

model = Sequential()
model.add(Dense(output_dim=64, input_dim=20, init='uniform'))
model.add(Activation('relu'))
model.add(Dropout(p=0.5))
model.add(Dense(output_dim=1, init='uniform'))
model.add(Activation('sigmoid'))

model.compile(loss='binary_crossentropy', optimizer='rmsprop', metrics=['accuracy'])
model.fit(x_train, y_train, nb_epoch=1, batch_size=16, verbose=0)
score = model.evaluate(x_train, y_train, batch_size=16, verbose=0)
print('Test score:', score)
