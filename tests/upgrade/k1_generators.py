# upgrade: Keras 1 fit_generator(samples_per_epoch=, nb_epoch=, validation_data=, nb_val_samples=), evaluate_generator(val_samples=), predict_generator(val_samples=)
# keras-version: 1.2
# crashes-on-keras3: AttributeError: 'Sequential' object has no attribute 'fit_generator'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 193
import numpy as np
from keras.models import Sequential
from keras.layers import Dense

x = np.random.random((32, 10))
y = np.random.random((32, 1))


def batches(x, y, batch_size=8):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size], y[i:i + batch_size]


def inputs_only(x, batch_size=8):
    while True:
        for i in range(0, len(x), batch_size):
            yield x[i:i + batch_size]


model = Sequential()
model.add(Dense(16, input_dim=10, activation='relu'))
model.add(Dense(1))
model.compile(loss='mse', optimizer='sgd')
model.fit_generator(batches(x, y), samples_per_epoch=32, nb_epoch=1, verbose=0,
                    validation_data=batches(x, y), nb_val_samples=16)
loss = model.evaluate_generator(batches(x, y), val_samples=16)
predictions = model.predict_generator(inputs_only(x), val_samples=16)
print(loss, predictions.shape)
