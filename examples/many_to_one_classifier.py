"""The same sentiment model, done right: the last RNN returns one vector per sequence."""
# expect: clean
# keras: 3

import keras
from keras import layers

MAX_LEN = 100
VOCAB = 20_000

model = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,)),
        layers.Embedding(VOCAB, 64),
        layers.Bidirectional(layers.LSTM(64, return_sequences=True)),
        layers.LSTM(32),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
