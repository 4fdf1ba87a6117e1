"""The model drawn in docs/diagrams.md: two inputs, a shared layer, a layer of your own and a
nested Sequential."""

import keras
from keras import layers


class Residual(layers.Layer):
    def __init__(self, units):
        super().__init__()
        self.dense = layers.Dense(units, activation="relu")

    def call(self, x):
        return x + self.dense(x)


head = keras.Sequential([layers.Dense(16, activation="relu"), layers.Dense(1)], name="head")

title = keras.Input(shape=(None,), name="title")
body = keras.Input(shape=(None,), name="body")
embed = layers.Embedding(5000, 32)
t = layers.GlobalAveragePooling1D()(embed(title))
b = layers.GlobalAveragePooling1D()(embed(body))
x = Residual(32)(layers.Add()([t, b]))
model = keras.Model([title, body], head(x))
