# upgrade: Keras 1 Merge(mode='sum') of two Sequential RNN encoders: LSTM/GRU(output_dim=, input_dim=, input_length=, inner_activation=), keras.layers.recurrent, RMSprop(lr=), to_categorical from keras.utils.np_utils, nb_epoch, predict_classes, predict_proba
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'Merge' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: encoder_a (None, 10) 560
# model: encoder_b (None, 10) 480
# model: model (None, 4) 1084
import numpy as np
from keras.models import Sequential
from keras.layers import Dense, Merge
from keras.layers.recurrent import LSTM, GRU
from keras.optimizers import RMSprop
from keras.utils.np_utils import to_categorical

seq_a = np.random.random((32, 7, 3))
seq_b = np.random.random((32, 7, 5))
target = to_categorical(np.random.randint(0, 4, 32), 4)

encoder_a = Sequential()
encoder_a.add(LSTM(output_dim=10, input_dim=3, input_length=7))
encoder_b = Sequential()
encoder_b.add(GRU(output_dim=10, input_dim=5, input_length=7, inner_activation='hard_sigmoid'))

model = Sequential()
model.add(Merge([encoder_a, encoder_b], mode='sum'))
model.add(Dense(4, activation='softmax'))
model.compile(loss='categorical_crossentropy', optimizer=RMSprop(lr=0.001))
model.fit([seq_a, seq_b], target, batch_size=8, nb_epoch=1, verbose=0)
print(model.predict_classes([seq_a, seq_b], verbose=0)[:5])
print(model.predict_proba([seq_a, seq_b], verbose=0).shape)
