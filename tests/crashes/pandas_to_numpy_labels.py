# crashes: every Keras version
# oracle: keras 3
import numpy as np
import pandas as pd
import keras
from keras import layers

df = pd.DataFrame(np.random.rand(60, 4), columns=["x1", "x2", "y1", "y2"])
features = df[["x1", "x2"]].to_numpy()
targets = df[["y1", "y2"]].to_numpy()
model = keras.Sequential([keras.Input(shape=(2,)), layers.Dense(8, activation="relu"), layers.Dense(1, activation="sigmoid")])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(features, targets, epochs=1, verbose=0)
