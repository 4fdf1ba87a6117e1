"""Encoder-decoder for reversing digit strings that forgot its RepeatVector.

The encoder LSTM returns one vector per sequence (2D), and TimeDistributed has no time axis
to iterate over: Keras refuses to build this model.
"""
# expect: TDL003
# keras: 3

from keras.layers import LSTM, Dense, TimeDistributed
from keras.models import Sequential

DIGITS = 7
VOCAB = 12

model = Sequential()
model.add(LSTM(128, input_shape=(DIGITS, VOCAB)))
model.add(TimeDistributed(Dense(VOCAB, activation="softmax")))
