# upgrade: Keras 1 memory network: Merge layers of Sequentials that start with a Merge themselves, modes 'dot' (dot_axes=[2, 2]), 'sum' and 'concat' (concat_axis=-1), a question encoder merged twice, keras.layers.embeddings
# keras-version: 1.2
# crashes-on-keras3: ModuleNotFoundError: No module named 'keras.layers.embeddings'
# checked: keras 1.2.2 (Theano 1.0.5 backend) runs it and builds these models
# model: input_encoder_m (None, 12, 8) 176
# model: question_encoder (None, 4, 8) 176
# model: match (None, 12, 4) 352
# model: input_encoder_c (None, 12, 4) 88
# model: response (None, 4, 12) 440
# model: answer (None, 22) 3182
import numpy as np
from keras.models import Sequential
from keras.layers.embeddings import Embedding
from keras.layers import Activation, Dense, Merge, Permute, Dropout
from keras.layers import LSTM

vocab_size = 22
story_maxlen = 12
query_maxlen = 4

stories = np.random.randint(0, vocab_size, (32, story_maxlen))
queries = np.random.randint(0, vocab_size, (32, query_maxlen))
answers = np.eye(vocab_size)[np.random.randint(0, vocab_size, 32)]

input_encoder_m = Sequential()
input_encoder_m.add(Embedding(input_dim=vocab_size, output_dim=8, input_length=story_maxlen))
input_encoder_m.add(Dropout(0.3))

question_encoder = Sequential()
question_encoder.add(Embedding(input_dim=vocab_size, output_dim=8, input_length=query_maxlen))
question_encoder.add(Dropout(0.3))

# the match between the story and the question: (samples, story_maxlen, query_maxlen)
match = Sequential()
match.add(Merge([input_encoder_m, question_encoder],
                mode='dot',
                dot_axes=[2, 2]))
match.add(Activation('softmax'))

input_encoder_c = Sequential()
input_encoder_c.add(Embedding(input_dim=vocab_size, output_dim=query_maxlen, input_length=story_maxlen))
input_encoder_c.add(Dropout(0.3))

response = Sequential()
response.add(Merge([match, input_encoder_c], mode='sum'))
response.add(Permute((2, 1)))

answer = Sequential()
answer.add(Merge([response, question_encoder], mode='concat', concat_axis=-1))
answer.add(LSTM(16))
answer.add(Dropout(0.3))
answer.add(Dense(vocab_size))
answer.add(Activation('softmax'))

answer.compile(optimizer='rmsprop', loss='categorical_crossentropy', metrics=['accuracy'])
answer.fit([stories, queries, stories], answers, batch_size=8, nb_epoch=1, verbose=0)
