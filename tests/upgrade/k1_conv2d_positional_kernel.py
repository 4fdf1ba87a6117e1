# upgrade: Keras 1 Convolution2D(32, 3, 3) positional kernel, border_mode, subsample, dim_ordering='tf', keras.layers.convolutional
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.convolutional'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 4) 1100
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Flatten
from keras.layers.convolutional import Convolution2D, MaxPooling2D

X = np.random.random((32, 16, 16, 3))
Y = np.eye(4)[np.random.randint(0, 4, 32)]

model = Sequential()
model.add(Convolution2D(8, 3, 3, border_mode='same', activation='relu',
                        input_shape=(16, 16, 3), dim_ordering='tf'))
model.add(Convolution2D(8, 3, 3, subsample=(2, 2), activation='relu', dim_ordering='tf'))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering='tf'))
model.add(Flatten())
model.add(Dense(4, activation='softmax'))

model.compile(loss='categorical_crossentropy', optimizer='adadelta', metrics=['accuracy'])
model.fit(X, Y, batch_size=8, nb_epoch=1, verbose=0)
print(model.predict(X[:2]))
