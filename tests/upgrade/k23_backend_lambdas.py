# upgrade: Keras 2.x backend functions in Lambda layers (K.concatenate, K.square, K.expand_dims, K.max) and a custom loss (K.mean)
# keras-version: 2.3
# crashes-on-keras3: NotImplementedError: Exception encountered when calling Lambda.call().
# checked: tensorflow-cpu 2.15.1's keras 2.15 runs it and builds this model (Keras 2.3 on Theano cannot infer a Lambda's shape)
# model: model (None, 1) 37
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, Lambda
from keras.models import Model

x = np.random.random((32, 6))
y = np.random.random((32, 1))


def mean_squared(y_true, y_pred):
    return K.mean(K.square(y_pred - y_true), axis=-1)


inp = Input(shape=(6,))
h = Dense(4)(inp)
h = Lambda(lambda t: K.concatenate([t, K.square(t)], axis=-1))(h)
h = Lambda(lambda t: K.expand_dims(t, axis=1))(h)
h = Lambda(lambda t: K.max(t, axis=1))(h)
out = Dense(1)(h)
model = Model(inputs=inp, outputs=out)
model.compile(optimizer='adam', loss=mean_squared)
model.fit(x, y, epochs=1, batch_size=8, verbose=0)
