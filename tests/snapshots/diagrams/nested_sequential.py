import keras
from keras import layers

encoder = keras.Sequential([layers.Dense(32, activation="relu"), layers.Dense(8)], name="encoder")

inputs = keras.Input(shape=(64,))
z = encoder(inputs)
outputs = layers.Dense(1)(z)
model = keras.Model(inputs, outputs)
