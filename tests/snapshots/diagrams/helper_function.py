import keras
from keras import layers

SAMPLES = 128


def block(x, filters):
    x = layers.Conv1D(filters, 3, padding="same")(x)
    return layers.ReLU()(x)


def build(classes):
    inputs = keras.Input(shape=(SAMPLES, 2))
    x = block(inputs, 8)
    x = block(x, 16)
    x = layers.GlobalMaxPooling1D()(x)
    return keras.Model(inputs, layers.Dense(classes)(x))


model = build(5)
