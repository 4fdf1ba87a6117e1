# upgrade: Keras 1 merge modes 'mul', 'ave', 'dot' (dot_axes=1) and 'concat' with the default axis, Model(input=, output=)
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 159
import numpy as np
from keras.layers import Input, Dense, merge
from keras.models import Model

x = np.random.random((32, 5))
y = np.random.random((32, 1))

inp = Input(shape=(5,))
p = Dense(6)(inp)
q = Dense(6)(inp)
m = merge([p, q], mode='mul')
v = merge([p, q], mode='ave')
mv = merge([m, v], mode='concat')
d = merge([Dense(3)(mv), Dense(3)(mv)], mode='dot', dot_axes=1)
both = merge([d, Dense(1)(inp)], mode='concat')
out = Dense(1)(both)

model = Model(input=inp, output=out)
model.compile(optimizer='adam', loss='mse')
model.fit(x, y, nb_epoch=1, verbose=0)
