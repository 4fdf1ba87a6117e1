"""A functional many-to-one model whose head sits on the per-timestep output."""
# expect: TDL001
# keras: 3

import keras

inputs = keras.Input(shape=(50, 8), name="sensor_readings")
seq = keras.layers.Bidirectional(keras.layers.LSTM(32, return_sequences=True))(inputs)
seq = keras.layers.BatchNormalization()(seq)
outputs = keras.layers.Dense(4, activation="softmax")(seq)
classifier = keras.Model(inputs, outputs, name="activity_classifier")
