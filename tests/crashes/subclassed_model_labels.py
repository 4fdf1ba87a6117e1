# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers


class Classifier(keras.Model):
    def __init__(self, num_classes):
        super().__init__()
        self.hidden = layers.Dense(64, activation="relu")
        self.out = layers.Dense(num_classes)

    def call(self, x):
        return self.out(self.hidden(x))


model = Classifier(10)
model.compile(optimizer="adam", loss=keras.losses.SparseCategoricalCrossentropy(from_logits=True))
x_train = np.random.rand(100, 20)
y_train = keras.utils.to_categorical(np.random.randint(0, 10, size=(100,)), 10)
model.fit(x_train, y_train, epochs=1, verbose=0)
