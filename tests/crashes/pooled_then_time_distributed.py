# crashes: every Keras version
# oracle: keras 3
import keras
from keras import layers

inputs = keras.Input(shape=(None, 16))
x = layers.Conv1D(32, 3, padding="same")(inputs)
x = layers.GlobalAveragePooling1D()(x)
outputs = layers.TimeDistributed(layers.Dense(2))(x)
model = keras.Model(inputs, outputs)
