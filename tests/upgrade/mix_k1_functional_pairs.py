# upgrade: Keras 1 functional pair model: shared Dense(output_dim=, init=, W_regularizer=), Lambda with K.abs, merge modes 'mul' and 'concat', BatchNormalization(beta_init=, gamma_init=), Model(input=, output=), Adam(lr=), custom loss with K.sum/K.log/K.clip, to_categorical from keras.utils.np_utils, evaluate_generator/predict_generator(val_samples=)
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 3) 563
import numpy as np
from keras import backend as K
from keras.layers import Input, Dense, Lambda, merge
from keras.layers.normalization import BatchNormalization
from keras.models import Model
from keras.optimizers import Adam
from keras.regularizers import l2
from keras.utils.np_utils import to_categorical

left = np.random.random((32, 8))
right = np.random.random((32, 8))
labels = to_categorical(np.random.randint(0, 3, 32), 3)


def pairs(batch_size=8):
    while True:
        for i in range(0, 32, batch_size):
            yield [left[i:i + batch_size], right[i:i + batch_size]], labels[i:i + batch_size]


def pair_inputs(batch_size=8):
    while True:
        for i in range(0, 32, batch_size):
            yield [left[i:i + batch_size], right[i:i + batch_size]]


def clipped_crossentropy(y_true, y_pred):
    return -K.sum(y_true * K.log(K.clip(y_pred, 1e-7, 1.0)), axis=-1)


left_in = Input(shape=(8,))
right_in = Input(shape=(8,))
shared = Dense(output_dim=16, init='he_normal', activation='relu', W_regularizer=l2(1e-3))
l = shared(left_in)
r = shared(right_in)
diff = Lambda(lambda t: K.abs(t[0] - t[1]), output_shape=(16,))([l, r])
prod = merge([l, r], mode='mul')
both = merge([diff, prod], mode='concat', concat_axis=-1)
h = BatchNormalization(beta_init='zero', gamma_init='one')(both)
h = Dense(output_dim=8, activation='relu')(h)
out = Dense(3, activation='softmax')(h)

model = Model(input=[left_in, right_in], output=out)
model.compile(optimizer=Adam(lr=1e-3), loss=clipped_crossentropy)
model.fit([left, right], labels, nb_epoch=1, batch_size=8, verbose=0)
print(model.evaluate_generator(pairs(), val_samples=16))
print(model.predict_generator(pair_inputs(), val_samples=16).shape)
