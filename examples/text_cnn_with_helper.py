"""Models built by helper functions: analysed with their parameters unknown, so tdlint stays
silent about what it cannot know, and checks the module-level model fully."""
# expect: clean
# keras: 3

import keras
from keras import layers


def conv_block(x, filters):
    x = layers.Conv1D(filters, 5, padding="same", activation="relu")(x)
    return layers.MaxPooling1D(2)(x)


def build_classifier(seq_len, vocab, classes):
    tokens = keras.Input(shape=(seq_len,))
    x = layers.Embedding(vocab, 64)(tokens)
    x = conv_block(x, 64)
    x = layers.GlobalMaxPooling1D()(x)
    return keras.Model(tokens, layers.Dense(classes, activation="softmax")(x))


tokens = keras.Input(shape=(200,))
x = layers.Embedding(5000, 32)(tokens)
x = layers.Conv1D(64, 5, activation="relu")(x)
x = layers.MaxPooling1D(2)(x)
x = layers.Conv1D(64, 5, activation="relu")(x)
x = layers.GlobalMaxPooling1D()(x)
branch_a = layers.Dense(32)(x)
branch_b = layers.Dense(32)(x)
merged = layers.Concatenate()([branch_a, branch_b])
added = layers.Add()([branch_a, branch_b])
head = layers.Dense(2, activation="softmax")(layers.Concatenate(axis=-1)([merged, added]))
text_cnn = keras.Model(tokens, head)
