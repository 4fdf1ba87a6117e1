# upgrade: Keras 1 backend functions in Lambda layers (K.sum, K.max) and in a custom loss (K.sqrt, K.mean, K.square)
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 2) 18
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, Lambda, merge
from keras.models import Model

x = np.random.random((32, 5, 4))
y = np.random.random((32, 2))


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true), axis=-1))


inp = Input(shape=(5, 4))
total = Lambda(lambda t: K.sum(t, axis=1), output_shape=(4,))(inp)
peak = Lambda(lambda t: K.max(t, axis=1), output_shape=(4,))(inp)
both = merge([total, peak], mode='concat')
out = Dense(2)(both)
model = Model(input=inp, output=out)
model.compile(loss=rmse, optimizer='adam')
model.fit(x, y, nb_epoch=1, verbose=0)
