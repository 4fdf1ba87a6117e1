"""A video classifier: a small CNN on every frame, then an LSTM over the frames."""
# expect: clean
# keras: 3

import keras
from keras import layers

FRAMES, SIZE = 16, 64

clips = keras.Input(shape=(FRAMES, SIZE, SIZE, 3))
x = layers.TimeDistributed(layers.Conv2D(16, 3, strides=2, padding="same", activation="relu"))(clips)
x = layers.TimeDistributed(layers.MaxPooling2D())(x)
x = layers.TimeDistributed(layers.Conv2D(32, 3, activation="relu"))(x)
x = layers.TimeDistributed(layers.GlobalAveragePooling2D())(x)
x = layers.LSTM(64)(x)
outputs = layers.Dense(10, activation="softmax")(x)
video_model = keras.Model(clips, outputs)
