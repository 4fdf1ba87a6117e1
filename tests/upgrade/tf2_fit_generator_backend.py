# upgrade: tf.keras 2 fit_generator/evaluate_generator, Adam(lr=), backend K.sqrt/K.mean/K.square in a custom loss
# keras-version: 2.15
# crashes-on-keras3: ValueError: Argument(s) not recognized: {'lr': 0.01}
# checked: tensorflow-cpu 2.15.1 runs it and builds this model
# model: model (None, 1) 49
import numpy as np
from tensorflow import keras
from tensorflow.keras import backend as K

x = np.random.random((32, 4)).astype('float32')
y = np.random.random((32, 1)).astype('float32')


def batches(batch_size=8):
    while True:
        for start in range(0, len(x), batch_size):
            yield x[start:start + batch_size], y[start:start + batch_size]


def rmse(y_true, y_pred):
    return K.sqrt(K.mean(K.square(y_pred - y_true)))


model = keras.Sequential([
    keras.layers.Dense(8, activation='relu', input_shape=(4,)),
    keras.layers.Dense(1),
])
model.compile(optimizer=keras.optimizers.Adam(lr=0.01), loss=rmse)
model.fit_generator(batches(), steps_per_epoch=4, epochs=1, verbose=0)
print(model.evaluate_generator(batches(), steps=2))
