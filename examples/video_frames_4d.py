"""A per-frame CNN wrapped in TimeDistributed, fed single images instead of clips.

TimeDistributed(Conv2D) needs 5D input (batch, frames, height, width, channels); a 4D image
batch leaves Conv2D with a 3D tensor, and Keras raises.
"""
# expect: TDL003
# keras: 3

import keras
from keras import layers

frames = keras.Input(shape=(64, 64, 3))
x = layers.TimeDistributed(layers.Conv2D(16, 3, activation="relu"))(frames)
