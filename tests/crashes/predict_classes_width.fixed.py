# fixed; the original crashes: Keras 1 and 2 (predict_classes was removed in tf.keras 2.6 and Keras 3)
# keras-version: 2.3
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

X_train = np.random.rand(300, 20)
y_train = np.random.randint(0, 2, size=(300, 1))
X_test = np.random.rand(50, 20)
model = Sequential()
model.add(Dense(12, input_dim=20, activation="relu"))
model.add(Dense(1, activation="sigmoid"))
model.compile(loss="binary_crossentropy", optimizer="adam", metrics=["accuracy"])
model.fit(X_train, y_train, epochs=10, batch_size=10)
predictions = model.predict_classes(X_test)
