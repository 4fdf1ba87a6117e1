# hand-fixed: mix_k1_merge_rnn_branches.py rewritten by hand for Keras 3 (the harness self-test)
import numpy as np
from keras.models import Sequential, Model
from keras.layers import Dense, Input, LSTM, GRU, add
from keras.optimizers import RMSprop
from keras.utils import to_categorical

seq_a = np.random.random((32, 7, 3))
seq_b = np.random.random((32, 7, 5))
target = to_categorical(np.random.randint(0, 4, 32), 4)

encoder_a = Sequential()
encoder_a.add(Input(shape=(7, 3)))
encoder_a.add(LSTM(units=10))
encoder_b = Sequential()
encoder_b.add(Input(shape=(7, 5)))
# Keras 1's GRU has one bias per gate: reset_after=False keeps its 480 weights (not 510)
encoder_b.add(GRU(units=10, recurrent_activation='hard_sigmoid', reset_after=False))

input_a = Input(shape=(7, 3))
input_b = Input(shape=(7, 5))
merged = add([encoder_a(input_a), encoder_b(input_b)])
model = Model(inputs=[input_a, input_b], outputs=Dense(4, activation='softmax')(merged))
model.compile(loss='categorical_crossentropy', optimizer=RMSprop(learning_rate=0.001))
model.fit([seq_a, seq_b], target, batch_size=8, epochs=1, verbose=0)
print(np.argmax(model.predict([seq_a, seq_b], verbose=0), axis=-1)[:5])
print(model.predict([seq_a, seq_b], verbose=0).shape)
