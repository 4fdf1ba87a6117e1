# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers


def make_model(n_features):
    model = keras.Sequential(
        [keras.Input(shape=(n_features,)), layers.Dense(16, activation="relu"), layers.Dense(3, activation="softmax")]
    )
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    return model


def main():
    X = np.random.rand(100, 12)
    y = np.random.randint(0, 3, size=(100,))
    model = make_model(10)
    model.fit(X, y, epochs=1, verbose=0)


if __name__ == "__main__":
    main()
