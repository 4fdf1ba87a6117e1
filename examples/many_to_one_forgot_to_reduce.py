"""Sentiment of a review: one label per sequence, but the model outputs one per timestep.

The last LSTM keeps `return_sequences=True`, so `Dense(1)` runs on every timestep and the model
returns (None, 100, 1) instead of (None, 1). With `binary_crossentropy` this fails in `fit`;
with `mse` it would train silently against broadcast labels.
"""
# expect: TDL001
# keras: 3

import keras
from keras import layers

MAX_LEN = 100
VOCAB = 20_000

model = keras.Sequential(
    [
        keras.Input(shape=(MAX_LEN,)),
        layers.Embedding(VOCAB, 64),
        layers.LSTM(64, return_sequences=True),
        layers.Dropout(0.3),
        layers.Dense(1, activation="sigmoid"),
    ]
)
model.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
