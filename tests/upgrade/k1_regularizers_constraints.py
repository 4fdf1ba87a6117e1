# upgrade: Keras 1 regularizers and constraints (activity_l2, l1l2 with a default left out, maxnorm(m=), nonneg), ThresholdedReLU(theta=), to_categorical(nb_classes=), keras.layers.advanced_activations
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.advanced_activations'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 3) 1251
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Dropout
from keras.layers.advanced_activations import ThresholdedReLU
from keras.regularizers import l2, activity_l2, l1l2
from keras.constraints import maxnorm, nonneg
from keras.utils.np_utils import to_categorical

x = np.random.random((64, 20))
y = to_categorical(np.random.randint(0, 3, 64), nb_classes=3)

model = Sequential()
model.add(Dense(32, input_dim=20, W_regularizer=l2(0.001), activity_regularizer=activity_l2(0.0001)))
model.add(ThresholdedReLU(theta=0.1))
model.add(Dense(16, W_constraint=maxnorm(m=2), b_regularizer=l1l2(l1=0.001)))
model.add(ThresholdedReLU())
model.add(Dropout(0.25))
model.add(Dense(3, activation='softmax', W_constraint=nonneg()))
model.compile(loss='categorical_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x, y, batch_size=16, nb_epoch=2, verbose=0)
