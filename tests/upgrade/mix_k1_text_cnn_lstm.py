# upgrade: Keras 1 text classifier: Embedding(dropout=), Convolution1D(nb_filter, filter_length, subsample_length), MaxPooling1D(pool_length), LSTM(output_dim, dropout_W, dropout_U, consume_less, inner_activation), fit_generator(samples_per_epoch, nb_val_samples), predict_classes (sigmoid), moved modules
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.core'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds this model
# model: model (None, 1) 4869
import numpy as np
from keras.models import Sequential
from keras.layers.core import Dense, Activation
from keras.layers.embeddings import Embedding
from keras.layers.convolutional import Convolution1D, MaxPooling1D
from keras.layers.recurrent import LSTM

max_features = 200
maxlen = 30
X = np.random.randint(1, max_features, size=(32, maxlen))
y = np.random.randint(0, 2, size=(32,))


def sample_batches(batch_size=8):
    while True:
        idx = np.random.randint(0, len(X), batch_size)
        yield X[idx], y[idx]


model = Sequential()
model.add(Embedding(max_features, 16, input_length=maxlen, dropout=0.2))
model.add(Convolution1D(nb_filter=8, filter_length=5, border_mode='valid', activation='relu',
                        subsample_length=1))
model.add(MaxPooling1D(pool_length=2))
model.add(LSTM(output_dim=12, dropout_W=0.2, dropout_U=0.2, consume_less='mem',
               inner_activation='hard_sigmoid'))
model.add(Dense(1))
model.add(Activation('sigmoid'))
model.compile(loss='binary_crossentropy', optimizer='adam', metrics=['accuracy'])
model.fit_generator(sample_batches(), samples_per_epoch=32, nb_epoch=1, verbose=0,
                    validation_data=sample_batches(), nb_val_samples=16)
print(model.predict_classes(X[:8], verbose=0).ravel())
