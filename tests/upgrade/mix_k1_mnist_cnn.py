# upgrade: Keras 1 MNIST-style CNN: np_utils, keras.layers.core/convolutional, Convolution2D positional and nb_filter/nb_row/nb_col, border_mode, init, W_regularizer, Dropout(p=), SGD(lr, decay), nb_epoch, predict_classes, predict_proba
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.core'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 10) 4050
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation, Flatten
from keras.layers.convolutional import Convolution2D, MaxPooling2D
from keras.optimizers import SGD
from keras.regularizers import l2
from keras.utils import np_utils

nb_classes = 10
X_train = np.random.random((32, 12, 12, 1)).astype('float32')
y_train = np.random.randint(0, nb_classes, 32)
Y_train = np_utils.to_categorical(y_train, nb_classes)

model = Sequential()
model.add(Convolution2D(8, 3, 3, border_mode='same', init='he_normal', dim_ordering='tf',
                        input_shape=(12, 12, 1), W_regularizer=l2(1e-4)))
model.add(Activation('relu'))
model.add(Convolution2D(nb_filter=8, nb_row=3, nb_col=3, subsample=(1, 1), dim_ordering='tf'))
model.add(Activation('relu'))
model.add(MaxPooling2D(pool_size=(2, 2), dim_ordering='tf'))
model.add(Dropout(p=0.25))
model.add(Flatten())
model.add(Dense(output_dim=16, init='glorot_uniform'))
model.add(Activation('relu'))
model.add(Dropout(0.5))
model.add(Dense(nb_classes))
model.add(Activation('softmax'))

sgd = SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)
model.compile(loss='categorical_crossentropy', optimizer=sgd, metrics=['accuracy'])
model.fit(X_train, Y_train, batch_size=16, nb_epoch=1, verbose=0, validation_split=0.25)
predicted = model.predict_classes(X_train[:8], verbose=0)
probabilities = model.predict_proba(X_train[:8], verbose=0)
print(predicted, probabilities.shape)
