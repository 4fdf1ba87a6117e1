# upgrade: Keras 2.x fit_generator/evaluate_generator/predict_generator with steps, predict_classes (sigmoid) and predict_proba, keras.layers.normalization
# keras-version: 2.3
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.normalization'
# checked: keras 2.3.1 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 225
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Activation
from keras.layers.normalization import BatchNormalization

x = np.random.random((32, 8))
y = np.random.randint(0, 2, (32, 1))


def generate(batch_size=8):
    while True:
        idx = np.random.randint(0, len(x), batch_size)
        yield x[idx], y[idx]


def generate_inputs(batch_size=8):
    while True:
        yield x[np.random.randint(0, len(x), batch_size)]


model = Sequential()
model.add(Dense(16, input_dim=8))
model.add(BatchNormalization())
model.add(Activation('relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer='adam', loss='binary_crossentropy', metrics=['accuracy'])
model.fit_generator(generate(), steps_per_epoch=4, epochs=1, verbose=0,
                    validation_data=generate(), validation_steps=2)
print(model.evaluate_generator(generate(), steps=2))
print(model.predict_generator(generate_inputs(), steps=2).shape)
classes = model.predict_classes(x)
proba = model.predict_proba(x)
