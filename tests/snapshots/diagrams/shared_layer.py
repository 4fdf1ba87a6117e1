import keras
from keras import layers

left = keras.Input(shape=(None,))
right = keras.Input(shape=(None,))
embed = layers.Embedding(500, 8)
encode = layers.LSTM(4)
a = encode(embed(left))
b = encode(embed(right))
distance = layers.Subtract()([a, b])
model = keras.Model([left, right], layers.Dense(1)(distance))
