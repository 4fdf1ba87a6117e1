# crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers
from sklearn.preprocessing import StandardScaler

data = np.random.rand(500, 30)
scaler = StandardScaler()
X = scaler.fit_transform(data)
y = np.random.rand(500, 1)
model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(8, activation="relu"), layers.Dense(1)])
model.compile(optimizer="adam", loss="mse")
model.fit(X, y, epochs=1, verbose=0)
