# upgrade: Keras 1 sequence tagger: Embedding(dropout=), LSTM(return_sequences, dropout_W, dropout_U, init, inner_init), TimeDistributedDense, SGD(lr, momentum, decay), nb_epoch, predict_classes on a 3D softmax
# keras-version: 1.2
# crashes-on-keras3: ImportError: cannot import name 'TimeDistributedDense' from 'keras.layers'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 10, 5) 2085
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, LSTM, TimeDistributedDense, Activation
from keras.optimizers import SGD

words = np.random.randint(1, 50, size=(32, 10))
tags = np.eye(5)[np.random.randint(0, 5, size=(32, 10))]

model = Sequential()
model.add(Embedding(50, 8, input_length=10, dropout=0.1))
model.add(LSTM(16, return_sequences=True, dropout_W=0.1, dropout_U=0.1, init='glorot_uniform',
               inner_init='orthogonal'))
model.add(TimeDistributedDense(5))
model.add(Activation('softmax'))
model.compile(loss='categorical_crossentropy', optimizer=SGD(lr=0.05, momentum=0.9, decay=1e-4))
model.fit(words, tags, batch_size=8, nb_epoch=1, verbose=0)
predicted_tags = model.predict_classes(words[:4], verbose=0)
print(predicted_tags.shape)
