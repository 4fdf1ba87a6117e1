# upgrade: Keras 1 Merge layer objects applied to tensors (Merge(mode='mul'), Merge(mode='max'), Merge(mode='concat', concat_axis=1, name=)) imported from keras.engine.topology, Model(input=, output=)
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.engine'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 81
import numpy as np
from keras.layers import Input, Dense
from keras.engine.topology import Merge
from keras.models import Model

x_a = np.random.random((32, 6))
x_b = np.random.random((32, 6))
y = np.random.randint(0, 2, (32, 1))

a = Input(shape=(6,))
b = Input(shape=(6,))
h_a = Dense(5, activation='tanh')(a)
h_b = Dense(5, activation='tanh')(b)
product = Merge(mode='mul')([h_a, h_b])
largest = Merge(mode='max')([h_a, h_b])
joined = Merge(mode='concat', concat_axis=1, name='joined')([product, largest])
out = Dense(1, activation='sigmoid')(joined)

model = Model(input=[a, b], output=out)
model.compile(optimizer='rmsprop', loss='binary_crossentropy')
model.fit([x_a, x_b], y, batch_size=8, nb_epoch=1, verbose=0)
