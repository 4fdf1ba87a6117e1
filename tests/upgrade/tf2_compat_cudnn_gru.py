# upgrade: tf.keras 2 tf.compat.v1.keras.layers.CuDNNGRU in a functional model
# keras-version: 2.15
# crashes-on-keras3: AttributeError: module 'tensorflow' has no attribute 'compat' (no TensorFlow here; TF 2.21: tf.compat.v1.keras.layers has no CuDNNGRU)
# checked: tensorflow-cpu 2.15.1 builds this model (its fit needs a GPU: CuDNNGRU)
# model: model (None, 3) 387
import numpy as np
import tensorflow as tf

x = np.random.random((32, 12, 5)).astype('float32')
y = np.random.randint(0, 3, (32,))

inputs = tf.keras.Input(shape=(12, 5))
h = tf.compat.v1.keras.layers.CuDNNGRU(8)(inputs)
outputs = tf.keras.layers.Dense(3, activation='softmax')(h)
model = tf.keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x, y, epochs=1, verbose=0)
