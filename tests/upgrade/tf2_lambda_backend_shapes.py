# upgrade: tf.keras 2 Lambda written with the backend (K.shape, K.int_shape, K.reshape, K.ones_like, K.exp) and K.relu(alpha=) in a lambda, from tensorflow.keras import backend
# keras-version: 2.15
# crashes-on-keras3: NotImplementedError: We could not automatically infer the shape of the Lambda's output (K.relu is gone)
# checked: tensorflow-cpu 2.15.1 runs it and builds this model
# model: model (None, 10) 462
import numpy as np
from tensorflow.keras import backend as K
from tensorflow.keras.layers import Input, Dense, Lambda
from tensorflow.keras.models import Model

latent_dim = 2
x = np.random.random((64, 10)).astype('float32')

inputs = Input(shape=(10,))
h = Dense(16, activation='relu')(inputs)
z_mean = Dense(latent_dim)(h)
z_log_var = Dense(latent_dim)(h)


def spread(args):
    z_mean, z_log_var = args
    batch = K.shape(z_mean)[0]
    dim = K.int_shape(z_mean)[1]
    ones = K.reshape(K.ones_like(z_mean), (batch, dim))
    return z_mean + K.exp(0.5 * z_log_var) * ones


z = Lambda(spread, output_shape=(latent_dim,))([z_mean, z_log_var])
leaky = Lambda(lambda t: K.relu(t, alpha=0.1))(Dense(16)(z))
outputs = Dense(10, activation='sigmoid')(leaky)
model = Model(inputs, outputs)
model.compile(optimizer='adam', loss='binary_crossentropy')
model.fit(x, x, epochs=1, batch_size=16, verbose=0)
