"""Part-of-speech tagging: one label per token, stated with TimeDistributed."""
# expect: clean
# keras: 3

from keras import Input, Model
from keras.layers import GRU, Bidirectional, Dense, Embedding, TimeDistributed

NUM_TAGS = 17
tokens = Input(shape=(None,), dtype="int32")
x = Embedding(input_dim=10_000, output_dim=128)(tokens)
x = Bidirectional(GRU(64, return_sequences=True), merge_mode="sum")(x)
tags = TimeDistributed(Dense(NUM_TAGS, activation="softmax"))(x)
tagger = Model(inputs=tokens, outputs=tags)
