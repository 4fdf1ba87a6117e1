# upgrade: Keras 1 training script to the end: metrics=['accuracy'] read back as history['acc'] and 'val_acc', EarlyStopping and ModelCheckpoint(monitor='val_acc', '.hdf5', save_best_only=True), save_weights('.h5'), Adadelta() at its default rate, init=, nb_epoch, keras.layers.core, np_utils
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.core'
# checked: keras 1.2.2 (Theano 1.0.5 backend, h5py 3.11) runs it and builds this model
# model: model (None, 3) 643
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Dropout, Activation
from keras.optimizers import Adadelta
from keras.callbacks import EarlyStopping, ModelCheckpoint
from keras.utils import np_utils

x = np.random.random((96, 16))
y = np_utils.to_categorical(np.random.randint(0, 3, 96), 3)

model = Sequential()
model.add(Dense(32, input_dim=16, init='uniform'))
model.add(Activation('relu'))
model.add(Dropout(0.2))
model.add(Dense(3))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer=Adadelta(), metrics=['accuracy'])

stop = EarlyStopping(monitor='val_acc', patience=2, verbose=0)
best = ModelCheckpoint('best_model.hdf5', monitor='val_acc', save_best_only=True, verbose=0)
history = model.fit(x, y, batch_size=16, nb_epoch=3, validation_split=0.25,
                    callbacks=[stop, best], verbose=0)
print('best validation accuracy', max(history.history['val_acc']))
print('last training accuracy', history.history['acc'][-1])
model.save_weights('final_weights.h5', overwrite=True)
