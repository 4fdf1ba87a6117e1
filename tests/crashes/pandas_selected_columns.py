# crashes: every Keras version
# oracle: keras 3
import numpy as np
import pandas as pd
import keras
from keras import layers

df = pd.DataFrame(np.random.rand(100, 5), columns=["a", "b", "c", "d", "target"])
X = df[["a", "b", "c"]].values
y = df["target"].values
model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
