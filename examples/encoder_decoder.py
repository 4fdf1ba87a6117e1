"""The digit-reversal encoder-decoder, done right: RepeatVector gives the decoder its steps."""
# expect: clean
# keras: 3

from keras import layers
from keras.models import Sequential

DIGITS = 7
VOCAB = 12
HIDDEN = 128

model = Sequential()
model.add(layers.Input(shape=(DIGITS, VOCAB)))
model.add(layers.LSTM(HIDDEN))
model.add(layers.RepeatVector(DIGITS))
for _ in range(2):
    model.add(layers.LSTM(HIDDEN, return_sequences=True))
model.add(layers.TimeDistributed(layers.Dense(VOCAB, activation="softmax")))
