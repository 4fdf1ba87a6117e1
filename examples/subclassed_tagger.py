"""A subclassed tagger: layers assigned in __init__, applied in call().

Its input shape is only known when it is first called, but the LSTM's output is certainly a
sequence, so the Dense on it is per-timestep: one tag per token, as its `num_tags` units say.
tdlint reads that as intended (TDL001 is silent); `--extend-select TDL004` would still ask for
`TimeDistributed` to state it.
"""
# expect: clean
# keras: 3

import keras


class Tagger(keras.Model):
    def __init__(self, vocab_size, num_tags):
        super().__init__()
        self.embed = keras.layers.Embedding(vocab_size, 64)
        self.rnn = keras.layers.LSTM(64, return_sequences=True)
        self.classify = keras.layers.Dense(num_tags, activation="softmax")

    def call(self, tokens):
        return self.classify(self.rnn(self.embed(tokens)))
