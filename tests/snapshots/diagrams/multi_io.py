import keras
from keras import layers

title = keras.Input(shape=(None,), name="title")
tags = keras.Input(shape=(12,), name="tags")
t = layers.Embedding(1000, 64)(title)
t = layers.LSTM(32)(t)
x = layers.concatenate([t, tags])
priority = layers.Dense(1, name="priority")(x)
department = layers.Dense(4, name="department")(x)
model = keras.Model(inputs=[title, tags], outputs=[priority, department])
