import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
a = layers.Dense(16)(x)
b = layers.Dense(16)(x)
merged = layers.Concatenate()([a, b])
outputs = layers.Dense(10)(merged)
model = keras.Model(inputs, outputs)
