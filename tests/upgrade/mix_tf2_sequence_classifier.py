# upgrade: tf.keras 2 sequence classifier: experimental.preprocessing.Rescaling, tf.compat.v1.keras.layers.CuDNNGRU, Lambda with K.max, RMSprop(lr=), fit_generator
# keras-version: 2.15
# crashes-on-keras3: AttributeError: module 'keras.layers' has no attribute 'experimental'
# checked: tensorflow-cpu 2.15.1 builds this model (its fit needs a GPU: CuDNNGRU)
# model: model (None, 2) 330
import numpy as np
import tensorflow as tf
from tensorflow.keras import layers, models
from tensorflow.keras import backend as K

series = np.random.random((32, 10, 3)).astype('float32') * 100
classes = np.random.randint(0, 2, (32,))


def windows(batch_size=8):
    while True:
        for i in range(0, 32, batch_size):
            yield series[i:i + batch_size], classes[i:i + batch_size]


inputs = tf.keras.Input(shape=(10, 3))
x = tf.keras.layers.experimental.preprocessing.Rescaling(0.01)(inputs)
x = tf.compat.v1.keras.layers.CuDNNGRU(8, return_sequences=True)(x)
x = layers.Lambda(lambda t: K.max(t, axis=1))(x)
outputs = layers.Dense(2, activation='softmax')(x)
model = models.Model(inputs, outputs)
model.compile(optimizer=tf.keras.optimizers.RMSprop(lr=1e-3),
              loss='sparse_categorical_crossentropy', metrics=['accuracy'])
model.fit_generator(windows(), steps_per_epoch=4, epochs=1, verbose=0)
