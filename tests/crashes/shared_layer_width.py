# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

question = keras.Input(shape=(12, 8))
answer = keras.Input(shape=(12, 6))
encoder = layers.LSTM(16)
merged = layers.concatenate([encoder(question), encoder(answer)])
model = keras.Model([question, answer], layers.Dense(1, activation="sigmoid")(merged))
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit([np.random.rand(16, 12, 8), np.random.rand(16, 12, 6)], np.random.randint(0, 2, size=(16, 1)), epochs=1, verbose=0)
