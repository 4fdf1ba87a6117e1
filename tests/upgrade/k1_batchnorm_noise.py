# upgrade: Keras 1 BatchNormalization(mode=0, beta_init=, gamma_init=), GaussianNoise(sigma=), GaussianDropout(p=), keras.layers.normalization and keras.layers.noise
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.normalization'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 257
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation
from keras.layers.normalization import BatchNormalization
from keras.layers.noise import GaussianNoise, GaussianDropout

x = np.random.random((32, 10))
y = np.random.random((32, 1))

model = Sequential()
model.add(GaussianNoise(sigma=0.1, input_shape=(10,)))
model.add(Dense(16, init='he_normal'))
model.add(BatchNormalization(mode=0, axis=-1, beta_init='zero', gamma_init='one'))
model.add(Activation('relu'))
model.add(GaussianDropout(p=0.2))
model.add(Dense(1))
model.compile(loss='mse', optimizer='adam')
model.fit(x, y, batch_size=16, nb_epoch=1, verbose=0)
