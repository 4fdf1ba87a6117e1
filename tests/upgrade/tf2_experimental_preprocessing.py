# upgrade: tf.keras 2 layers.experimental.preprocessing (RandomFlip, Rescaling by attribute, Normalization by import)
# keras-version: 2.15
# crashes-on-keras3: ModuleNotFoundError: No module named 'tensorflow.keras.layers.experimental'
# checked: tensorflow-cpu 2.15.1 runs it and builds this model
# model: model (None, 1) 617
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
from tensorflow.keras.layers.experimental.preprocessing import Normalization

images = np.random.randint(0, 256, (32, 16, 16, 3)).astype('float32')
labels = np.random.randint(0, 2, (32,))

model = keras.Sequential([
    layers.experimental.preprocessing.RandomFlip('horizontal', input_shape=(16, 16, 3)),
    tf.keras.layers.experimental.preprocessing.Rescaling(1. / 255),
    Normalization(mean=0.5, variance=0.25),
    layers.Conv2D(8, 3, activation='relu'),
    layers.MaxPooling2D(),
    layers.Flatten(),
    layers.Dense(1, activation='sigmoid'),
])
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit(images, labels, epochs=1, batch_size=8, verbose=0)
