# fixed; the original crashes: every Keras version
import keras
from keras import layers
from keras.utils import pad_sequences

(x_train, y_train), _ = keras.datasets.imdb.load_data(num_words=10000)
x_train = pad_sequences(x_train, maxlen=100)
model = keras.Sequential(
    [keras.Input(shape=(100,)), layers.Embedding(10000, 16), layers.Flatten(), layers.Dense(1, activation="sigmoid")]
)
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x_train, y_train, epochs=1)
