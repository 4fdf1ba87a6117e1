# upgrade: Keras 1 np_utils.to_categorical (from keras.utils import np_utils), predict_classes and predict_proba with a softmax output
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'np_utils' from 'keras.utils'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 3) 99
import numpy as np
from keras.models import Sequential
from keras.layers import Dense
from keras.utils import np_utils

x = np.random.random((32, 4))
labels = np.random.randint(0, 3, 32)
y = np_utils.to_categorical(labels, 3)

model = Sequential()
model.add(Dense(12, input_dim=4, activation='relu'))
model.add(Dense(3, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x, y, nb_epoch=1, batch_size=8, verbose=0)
classes = model.predict_classes(x, verbose=0)
proba = model.predict_proba(x, verbose=0)
print(classes[:5], proba.shape)
