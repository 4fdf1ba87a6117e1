# upgrade: Keras 2.x optimizers with lr= and decay=: keras.optimizers.RMSprop(lr=, decay=) and Adam(lr=)
# keras-version: 2.3
# crashes-on-keras3: ValueError: Argument(s) not recognized: {'lr': 0.001}
# checked: keras 2.3.1 (Theano 1.0.5 backend) runs it and builds these models
# model: model (None, 1) 49
# model: regressor (None, 1) 25
import numpy as np
import keras
from keras.models import Sequential
from keras.layers import Dense
from keras.optimizers import Adam

x = np.random.random((32, 4))
y = np.random.randint(0, 2, (32, 1))

model = Sequential()
model.add(Dense(8, input_dim=4, activation='relu'))
model.add(Dense(1, activation='sigmoid'))
model.compile(optimizer=keras.optimizers.RMSprop(lr=0.001, decay=1e-6),
              loss='binary_crossentropy', metrics=['accuracy'])
model.fit(x, y, epochs=1, batch_size=8, verbose=0)

regressor = Sequential([Dense(4, input_shape=(4,), activation='relu'), Dense(1)])
regressor.compile(optimizer=Adam(lr=1e-3), loss='mse')
regressor.fit(x, y.astype('float32'), epochs=1, verbose=0)
