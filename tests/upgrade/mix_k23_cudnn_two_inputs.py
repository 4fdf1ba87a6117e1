# upgrade: Keras 2.x two-input model: CuDNNGRU, Lambda with K.mean, keras.layers.merge.concatenate, keras.layers.normalization, np_utils, SGD(lr, decay), fit_generator/evaluate_generator/predict_generator
# keras-version: 2.3
# crashes-on-keras3: ImportError: cannot import name 'CuDNNGRU' from 'keras.layers'
# checked: tensorflow-cpu 2.15.1 builds this model with tf.compat.v1.keras.layers' CuDNN layers
# model: model (None, 3) 741
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, Lambda, CuDNNGRU
from keras.layers.merge import concatenate
from keras.layers.normalization import BatchNormalization
from keras.models import Model
from keras.optimizers import SGD
from keras.utils import np_utils

sequences = np.random.random((32, 8, 4))
features = np.random.random((32, 6))
targets = np_utils.to_categorical(np.random.randint(0, 3, 32), num_classes=3)


def feed(batch_size=8, with_targets=True):
    while True:
        for i in range(0, 32, batch_size):
            inputs = [sequences[i:i + batch_size], features[i:i + batch_size]]
            yield (inputs, targets[i:i + batch_size]) if with_targets else inputs


seq_in = Input(shape=(8, 4))
feat_in = Input(shape=(6,))
g = CuDNNGRU(12)(seq_in)
avg = Lambda(lambda t: K.mean(t, axis=1))(seq_in)
f = BatchNormalization()(feat_in)
h = concatenate([g, avg, f])
out = Dense(3, activation='softmax')(h)
model = Model(inputs=[seq_in, feat_in], outputs=out)
model.compile(optimizer=SGD(lr=0.01, decay=1e-6, momentum=0.9), loss='categorical_crossentropy')
model.fit_generator(feed(), steps_per_epoch=4, epochs=1, verbose=0)
print(model.evaluate_generator(feed(), steps=2))
print(model.predict_generator(feed(with_targets=False), steps=2).shape)
