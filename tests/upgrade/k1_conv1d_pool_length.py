# upgrade: Keras 1 Convolution1D(nb_filter=, filter_length=, subsample_length=), MaxPooling1D(pool_length=, stride=)
# keras-version: 1.2
# crashes-on-keras3: TypeError: Conv1D.__init__() missing 2 required positional arguments: 'filters' and 'kernel_size'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 801
import numpy as np
from keras.models import Sequential
from keras.layers import Convolution1D, MaxPooling1D, Flatten, Dense

x = np.random.random((32, 20, 8))
y = np.random.randint(0, 2, (32, 1))

model = Sequential()
model.add(Convolution1D(nb_filter=16, filter_length=3, border_mode='valid', activation='relu',
                        subsample_length=1, input_shape=(20, 8)))
model.add(MaxPooling1D(pool_length=2, stride=2))
model.add(Convolution1D(8, 3, border_mode='same', subsample_length=2))
model.add(MaxPooling1D(pool_length=5))
model.add(Flatten())
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam')
model.fit(x, y, batch_size=16, nb_epoch=1, verbose=0)
