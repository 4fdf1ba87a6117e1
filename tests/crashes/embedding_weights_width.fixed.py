# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

EMBEDDING_DIM = 50
word_index = {"the": 1, "cat": 2, "sat": 3}
embedding_matrix = np.zeros((len(word_index) + 1, EMBEDDING_DIM))
X = np.random.randint(0, 4, size=(32, 20))
y = np.random.randint(0, 2, size=(32, 1))
model = keras.Sequential(
    [keras.Input(shape=(20,)), layers.Embedding(len(word_index) + 1, EMBEDDING_DIM, weights=[embedding_matrix]), layers.GlobalAveragePooling1D(), layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(X, y, epochs=1, verbose=0)
