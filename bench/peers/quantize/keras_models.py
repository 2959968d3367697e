"""Keras models and the TFLite converter's post-training quantization, for bench/peers/quantize/compare.ts.

usage:
  keras_models.py float NAME OUT_DIR            builds NAME (seeded, weights=None), saves OUT_DIR/NAME.keras and
                                                writes OUT_DIR/float.tflite (TFLiteConverter.from_keras_model)
  keras_models.py ptq NAME OUT_DIR CALIB_DIR    the converter's PTQ of OUT_DIR/NAME.keras, calibrated on the .npy
                                                files of CALIB_DIR (sorted; the same files mai and
                                                ai-edge-quantizer calibrate on):
    tflite-converter-int8.tflite      full-integer int8 (optimizations=[DEFAULT], representative_dataset,
                                      TFLITE_BUILTINS_INT8), float input and output
    tflite-converter-int8-io.tflite   the same with inference_input_type / inference_output_type = tf.int8
    tflite-converter-fp16.tflite      float16 weights (target_spec.supported_types=[tf.float16])
Each mode prints one JSON line: float: {file}; ptq: {variant: {file, seconds} | {error}}.

Models (no weight downloads: the machines reach PyPI only, so every model has seeded random weights). With
weights=None's unit BatchNorm statistics the activations shrink layer by layer and MobileNetV2's softmax comes out
uniform for every input, so each model's BatchNorm moving statistics are set from one forward pass in training mode
(momentum 0) over 16 seeded smooth-noise images -- no photographs, so neither calibration nor held-out data --
and MobileNetV2's classifier kernel is scaled so its logits have standard deviation 5 on that batch (a peaked
softmax, as in a trained net). These float weights are the model every quantizer gets.
  mobilenetv2   keras.applications.MobileNetV2 224x224, 1000 classes, softmax, behind a Rescaling layer that maps
                the [0, 1] input to MobileNetV2's [-1, 1]
  unet          a small U-Net 256x256 (3 levels, 16-64 channels, Conv-BN-ReLU, max-pool, bilinear upsample + concat,
                sigmoid mask; Keras 3's nearest UpSampling2D lowers to rank-5 RESHAPE / TILE, which the GPU
                delegate does not take, bilinear to RESIZE_BILINEAR)
"""
import glob
import json
import os
import sys
import time

import numpy as np
import tensorflow as tf
import keras

SEED = 1


def mobilenetv2() -> keras.Model:
    inp = keras.Input((224, 224, 3), batch_size=1)
    base = keras.applications.MobileNetV2(input_shape=(224, 224, 3), weights=None, classifier_activation=None)
    logits = base(keras.layers.Rescaling(2.0, offset=-1.0)(inp))
    return keras.Model(inp, keras.layers.Softmax(name="classifier_softmax")(logits), name="mobilenetv2")


def unet() -> keras.Model:
    def block(x, ch):
        for _ in range(2):
            x = keras.layers.Conv2D(ch, 3, padding="same", use_bias=False)(x)
            x = keras.layers.BatchNormalization()(x)
            x = keras.layers.ReLU()(x)
        return x

    inp = keras.Input((256, 256, 3), batch_size=1)
    skips, x = [], inp
    for ch in (16, 32, 64):
        x = block(x, ch)
        skips.append(x)
        x = keras.layers.MaxPooling2D()(x)
    x = block(x, 128)
    for ch, skip in zip((64, 32, 16), reversed(skips)):
        x = keras.layers.UpSampling2D(interpolation="bilinear")(x)
        x = block(keras.layers.Concatenate()([x, skip]), ch)
    out = keras.layers.Conv2D(1, 1, activation="sigmoid")(x)
    return keras.Model(inp, out, name="unet")


MODELS = {"mobilenetv2": mobilenetv2, "unet": unet}


def noise_batch(shape) -> np.ndarray:
    """16 seeded smooth-noise images in [0, 1]: uniform noise on a 1/16-size grid, bilinearly upsampled."""
    h, w, c = shape
    rng = np.random.default_rng(SEED)
    coarse = rng.random((16, h // 16, w // 16, c), dtype=np.float32)
    return tf.image.resize(coarse, (h, w), method="bilinear").numpy()


def set_statistics(model: keras.Model) -> None:
    """BatchNorm moving mean / variance from one training-mode pass over noise_batch; logits scaled to std 5."""
    x = noise_batch(model.input_shape[1:])
    bns = [l for l in model._flatten_layers() if isinstance(l, keras.layers.BatchNormalization)]
    for bn in bns:
        bn.momentum = 0.0
    model(x, training=True)
    for bn in bns:
        bn.momentum = 0.99
    if any(l.name == "classifier_softmax" for l in model.layers):
        std = float(np.std(keras.Model(model.input, model.get_layer("classifier_softmax").input)(x).numpy()))
        head = [l for l in model._flatten_layers() if isinstance(l, keras.layers.Dense)][-1]
        kernel, bias = head.get_weights()
        head.set_weights([kernel * (5.0 / std), bias * (5.0 / std)])


def write_float(name: str, out_dir: str) -> dict:
    keras.utils.set_random_seed(SEED)
    model = MODELS[name]()
    set_statistics(model)
    model.save(os.path.join(out_dir, f"{name}.keras"))
    path = os.path.join(out_dir, "float.tflite")
    data = tf.lite.TFLiteConverter.from_keras_model(model).convert()
    with open(path, "wb") as f:
        f.write(data)
    return {"file": path}


def write_ptq(name: str, out_dir: str, calib_dir: str) -> dict:
    model = keras.models.load_model(os.path.join(out_dir, f"{name}.keras"))
    samples = [np.load(f).astype(np.float32) for f in sorted(glob.glob(os.path.join(calib_dir, "*.npy")))]

    def representative():
        for s in samples:
            yield [s]

    def int8(c, io):
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.representative_dataset = representative
        c.target_spec.supported_ops = [tf.lite.OpsSet.TFLITE_BUILTINS_INT8]
        if io:
            c.inference_input_type = tf.int8
            c.inference_output_type = tf.int8

    def fp16(c):
        c.optimizations = [tf.lite.Optimize.DEFAULT]
        c.target_spec.supported_types = [tf.float16]

    variants = {
        "tflite-converter-int8": ("tflite-converter-int8", lambda c: int8(c, False)),
        "tflite-converter-int8 (int8 I/O)": ("tflite-converter-int8-io", lambda c: int8(c, True)),
        "tflite-converter-fp16": ("tflite-converter-fp16", fp16),
    }
    out = {}
    for label, (stem, configure) in variants.items():
        path = os.path.join(out_dir, f"{stem}.tflite")
        t = time.time()
        try:
            c = tf.lite.TFLiteConverter.from_keras_model(model)
            configure(c)
            data = c.convert()
            with open(path, "wb") as f:
                f.write(data)
            out[label] = {"file": path, "seconds": time.time() - t}
        except Exception as e:  # reported in the comparison, not hidden
            out[label] = {"error": f"{type(e).__name__}: {e}"[:500]}
    return out


def main() -> None:
    mode, name, out_dir = sys.argv[1:4]
    if name not in MODELS:
        sys.exit(f"unknown model {name!r} (one of {', '.join(MODELS)})")
    if mode == "float":
        print(json.dumps(write_float(name, out_dir)))
    elif mode == "ptq":
        print(json.dumps(write_ptq(name, out_dir, sys.argv[4])))
    else:
        sys.exit(f"unknown mode {mode!r} (float or ptq)")


if __name__ == "__main__":
    main()
