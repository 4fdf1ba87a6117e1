# fixed; the original crashes: every Keras version
# oracle: keras 3
import numpy as np
import keras
from keras import layers

inp = keras.Input(shape=(50,))
emb = layers.Embedding(1000, 32, name="embedding")(inp)
pooled = layers.GlobalAveragePooling1D(name="pool")(emb)
out = layers.Dense(1, activation="sigmoid")(pooled)
model = keras.Model(inp, out)

encoder = keras.Model(model.inputs, model.get_layer("pool").output)
codes = encoder.predict(np.random.randint(0, 1000, size=(20, 50)), verbose=0)
probe = keras.Sequential([keras.Input(shape=(32,)), layers.Dense(3, activation="softmax")])
probe.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
probe.fit(codes, np.random.randint(0, 3, size=(20,)), epochs=1, verbose=0)
