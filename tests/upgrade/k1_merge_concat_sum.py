# upgrade: Keras 1 functional merge([a, b], mode='concat', concat_axis=-1) and mode='sum', Model(input=, output=)
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 237
import numpy as np
from keras.layers import Input, Dense, merge
from keras.models import Model

xa = np.random.random((32, 6))
xb = np.random.random((32, 4))
y = np.random.randint(0, 2, (32, 1))

a = Input(shape=(6,))
b = Input(shape=(4,))
ha = Dense(8, activation='relu')(a)
hb = Dense(8, activation='relu')(b)
h = merge([ha, hb], mode='concat', concat_axis=-1)
s = merge([Dense(4)(h), Dense(4)(h)], mode='sum')
out = Dense(1, activation='sigmoid')(s)

model = Model(input=[a, b], output=out)
model.compile(optimizer='rmsprop', loss='binary_crossentropy')
model.fit([xa, xb], y, nb_epoch=1, batch_size=8, verbose=0)
