# fixed; the original crashes: every Keras version
# oracle: keras 3
import keras
from keras import layers

inputs = keras.Input(shape=(None, 16))
x = layers.Conv1D(32, 3, padding="same")(inputs)
outputs = layers.TimeDistributed(layers.Dense(2))(x)
model = keras.Model(inputs, outputs)
