# upgrade: tf.keras 2 custom layer whose build calls add_weight with the name first ('kernel', shape=...), Adam(lr=), K.sigmoid and K.dot in call, fit with validation_split
# keras-version: 2.15
# crashes-on-keras3: ValueError: `name` must be passed as a keyword argument
# checked: tensorflow-cpu 2.15.1 runs it and builds this model
# model: model (None, 1) 113
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K
from tensorflow.keras import layers


class Gate(layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight('kernel', shape=(input_shape[-1], self.units), initializer='glorot_uniform')
        self.gate = self.add_weight('gate', (self.units,), 'float32', 'zeros')

    def call(self, inputs):
        return K.sigmoid(self.gate) * K.dot(inputs, self.kernel)


x = np.random.random((64, 12)).astype('float32')
y = np.random.randint(0, 2, (64, 1))

inputs = keras.Input(shape=(12,))
h = Gate(8)(inputs)
outputs = layers.Dense(1, activation='sigmoid')(h)
model = keras.Model(inputs, outputs)
model.compile(optimizer=keras.optimizers.Adam(lr=0.01), loss='binary_crossentropy')
model.fit(x, y, epochs=1, batch_size=16, validation_split=0.25, verbose=0)
