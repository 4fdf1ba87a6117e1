# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

inputs = keras.Input(shape=(32,))
x = layers.Dense(64, activation="relu")(inputs)
x = layers.Dense(16, activation="relu")(x)
outputs = layers.Dense(1, activation="sigmoid")(x)
base = keras.Model(inputs, outputs)

features = keras.Model(base.input, base.layers[2].output)
head = layers.Dense(4, activation="softmax")(features.output)
classifier = keras.Model(features.input, head)
classifier.compile(optimizer="adam", loss="categorical_crossentropy")
y = keras.utils.to_categorical(np.random.randint(0, 5, size=(40,)), 5)
classifier.fit(np.random.rand(40, 32), y, epochs=1, verbose=0)
