# fixed; the original crashes: every Keras version
# oracle: keras 3
import keras
from keras import layers


def build(timesteps, features):
    model = keras.Sequential()
    model.add(keras.Input(shape=(timesteps, features)))
    model.add(layers.LSTM(64, return_sequences=True))
    model.add(layers.TimeDistributed(layers.Dense(1)))
    return model


model = build(None, 8)
model.compile(optimizer="adam", loss="mse")
