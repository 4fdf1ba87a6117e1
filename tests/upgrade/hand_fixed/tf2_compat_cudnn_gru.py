# hand-fixed: tf2_compat_cudnn_gru.py rewritten by hand for Keras 3 (TensorFlow 2.16+: tf.keras is Keras 3)
import numpy as np
import tensorflow as tf

x = np.random.random((32, 12, 5)).astype('float32')
y = np.random.randint(0, 3, (32,))

inputs = tf.keras.Input(shape=(12, 5))
h = tf.keras.layers.GRU(8)(inputs)  # CuDNNGRU's weights are GRU's with reset_after=True
outputs = tf.keras.layers.Dense(3, activation='softmax')(h)
model = tf.keras.Model(inputs=inputs, outputs=outputs)
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x, y, epochs=1, verbose=0)
