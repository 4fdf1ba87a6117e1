"""Keras 1 code: the addition RNN as it was written in 2016, with TimeDistributedDense.

TimeDistributedDense was removed in Keras 2.0; `tdlint check --fix` rewrites it to
TimeDistributed(Dense(...)) and fixes the imports.
"""
# expect: TDL002
# keras: 1

from keras.layers import recurrent
from keras.layers.core import Activation, RepeatVector, TimeDistributedDense
from keras.models import Sequential

DIGITS = 3
MAXLEN = DIGITS + 1 + DIGITS
chars = "0123456789+ "
RNN = recurrent.LSTM
HIDDEN_SIZE = 128
LAYERS = 1

model = Sequential()
model.add(RNN(HIDDEN_SIZE, input_shape=(MAXLEN, len(chars))))
model.add(RepeatVector(DIGITS + 1))
for _ in range(LAYERS):
    model.add(RNN(HIDDEN_SIZE, return_sequences=True))
model.add(TimeDistributedDense(output_dim=len(chars), init="glorot_uniform"))
model.add(Activation("softmax"))
model.compile(loss="categorical_crossentropy", optimizer="adam")
