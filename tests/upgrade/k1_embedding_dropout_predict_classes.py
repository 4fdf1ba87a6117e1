# upgrade: Keras 1 Embedding(..., dropout=0.2) from keras.layers.embeddings, predict_classes with a sigmoid output
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.embeddings'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 1353
import numpy as np
from keras.models import Sequential
from keras.layers import LSTM, Dense
from keras.layers.embeddings import Embedding

x = np.random.randint(0, 100, size=(32, 12))
y = np.random.randint(0, 2, size=(32,))

model = Sequential()
model.add(Embedding(100, 8, input_length=12, dropout=0.2))
model.add(LSTM(8))
model.add(Dense(1, activation='sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit(x, y, batch_size=16, nb_epoch=1, verbose=0)
classes = model.predict_classes(x, verbose=0)
print('positives:', int(classes.sum()))
