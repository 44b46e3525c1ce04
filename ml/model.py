"""Model builders by kind, and the training-only augmentation.

The augmentation lives outside the saved models on purpose: the shipped file then holds
only stock Keras layers, loads with a plain `keras.models.load_model`, and serving never
pays for (or accidentally applies) random transforms.
"""
import math

import keras
import tensorflow as tf
from keras import layers

NUM_CLASSES = 10
INPUT_SHAPE = (28, 28, 1)

# Augmentation ranges: what real handwriting on a canvas varies by.
ROTATION_DEGREES = 10.0
ZOOM_RANGE = 0.10
SHIFT_PIXELS = 2.5
SHEAR_RANGE = 0.15
# Share of images whose stroke is thickened (marker) or thinned (fine pen).
THICKEN_PROB = 0.25
THIN_PROB = 0.15


def build_softmax():
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Flatten()(inputs)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="softmax")


def build_mlp(hidden=512, dropout=0.2):
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Flatten()(inputs)
    x = layers.Dense(hidden, activation="relu")(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="mlp")


def build_lenet():
    """The classic TensorFlow-tutorial convnet: two 5x5 conv+pool stages and a 1024 fc layer."""
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = layers.Conv2D(32, 5, padding="same", activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Conv2D(64, 5, padding="same", activation="relu")(x)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Dense(1024, activation="relu")(x)
    x = layers.Dropout(0.5)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="lenet")


def _conv_bn(x, filters, kernel, strides=1, padding="valid"):
    # Bias is redundant right before batch normalisation.
    x = layers.Conv2D(filters, kernel, strides=strides, padding=padding, use_bias=False)(x)
    x = layers.BatchNormalization()(x)
    return layers.Activation("relu")(x)


def build_cnn(dropout=0.4):
    """Shipped model: strided 5x5 convs replace pooling so downsampling is learned."""
    inputs = keras.Input(shape=INPUT_SHAPE)
    x = _conv_bn(inputs, 32, 3)
    x = _conv_bn(x, 32, 3)
    x = _conv_bn(x, 32, 5, strides=2, padding="same")
    x = layers.Dropout(dropout)(x)
    x = _conv_bn(x, 64, 3)
    x = _conv_bn(x, 64, 3)
    x = _conv_bn(x, 64, 5, strides=2, padding="same")
    x = layers.Dropout(dropout)(x)
    x = _conv_bn(x, 128, 4)
    x = layers.Flatten()(x)
    x = layers.Dropout(dropout)(x)
    outputs = layers.Dense(NUM_CLASSES, activation="softmax")(x)
    return keras.Model(inputs, outputs, name="cnn")


BUILDERS = {"softmax": build_softmax, "mlp": build_mlp, "lenet": build_lenet, "cnn": build_cnn}


def build_model(kind: str) -> keras.Model:
    try:
        return BUILDERS[kind]()
    except KeyError:
        raise ValueError(f"unknown model kind {kind!r}; choose from {sorted(BUILDERS)}") from None


def _affine_params(batch, seed=None):
    """Per-image inverse affine maps (rotation, zoom, shear, shift) about the image centre."""
    def uniform(low, high, offset):
        return tf.random.uniform([batch], low, high, seed=None if seed is None else seed + offset)

    angle = uniform(-ROTATION_DEGREES, ROTATION_DEGREES, 1) * (math.pi / 180.0)
    scale = uniform(1.0 - ZOOM_RANGE, 1.0 + ZOOM_RANGE, 2)
    shear = uniform(-SHEAR_RANGE, SHEAR_RANGE, 3)
    dx = uniform(-SHIFT_PIXELS, SHIFT_PIXELS, 4)
    dy = uniform(-SHIFT_PIXELS, SHIFT_PIXELS, 5)
    cos, sin = tf.cos(angle), tf.sin(angle)
    # Output pixel (x, y) samples input at A @ (x - c, y - c) + c - shift; A = R(-a) S^-1 Shear.
    a0 = cos / scale
    a1 = (cos * shear + sin) / scale
    b0 = -sin / scale
    b1 = (cos - sin * shear) / scale
    c = 13.5
    a2 = c - a0 * c - a1 * c - dx
    b2 = c - b0 * c - b1 * c - dy
    zeros = tf.zeros([batch])
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def augment(images, seed=None):
    """Random geometric + stroke-width distortions of a float (N, 28, 28, 1) batch in [0, 1]."""
    images = tf.convert_to_tensor(images, tf.float32)
    batch = tf.shape(images)[0]
    transforms = _affine_params(batch, seed)
    images = tf.raw_ops.ImageProjectiveTransformV3(
        images=images, transforms=transforms, output_shape=tf.constant([28, 28]),
        fill_value=0.0, interpolation="BILINEAR", fill_mode="CONSTANT",
    )
    # Grey-level dilation / erosion: a thin pen line becomes a marker stroke and back.
    thick = tf.nn.max_pool2d(images, ksize=2, strides=1, padding="SAME")
    thin = -tf.nn.max_pool2d(-images, ksize=2, strides=1, padding="SAME")
    # Erosion can wipe out an already thin stroke; only keep it where ink survives.
    thin = tf.where(tf.reduce_max(thin, axis=[1, 2, 3], keepdims=True) > 0.5, thin, images)
    choice = tf.random.uniform([batch, 1, 1, 1], seed=None if seed is None else seed + 6)
    images = tf.where(choice < THICKEN_PROB, thick,
                      tf.where(choice < THICKEN_PROB + THIN_PROB, thin, images))
    return tf.clip_by_value(images, 0.0, 1.0)
