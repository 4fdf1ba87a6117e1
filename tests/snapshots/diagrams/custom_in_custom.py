import keras
from keras import layers


class Inner(layers.Layer):
    def __init__(self):
        super().__init__()
        self.dense = layers.Dense(4)

    def call(self, x):
        return self.dense(x)


class Outer(layers.Layer):
    def __init__(self):
        super().__init__()
        self.inner = Inner()
        self.head = layers.Dense(2)

    def call(self, x):
        return self.head(self.inner(x))


inputs = keras.Input(shape=(3,))
model = keras.Model(inputs, Outer()(inputs))
