"""Builds the TF frontend's test fixtures with TensorFlow itself (run by hand, not in CI).

For each model (small Keras nets with random weights, and one tf.function graph per op family)
it writes, under tests/fixtures/tf/<name>/:
  saved_model/          tf.saved_model.save (serving_default signature)
  frozen.pb             the concrete function with variables folded (convert_variables_to_constants_v2)
  tfjs/model.json       tensorflowjs' converter on the SavedModel (grappler-fused graph, float32 weights)
  reference/            TensorFlow's outputs on seeded inputs (.npy): input_<i>.npy, output_<i>.npy
and a manifest.json beside them: inputs / outputs per format and, where TensorFlow's own TFLite
converter takes the model, its op histogram and size (the peer mai is compared with).

Inputs are uniform [0, 1) from mulberry32 seeded 1234 + i, the generator `mai convert --check` uses
(src/core/random.ts), so the recorded outputs are TensorFlow's answer to the check's own inputs.

  /work/venv-tf/bin/python scripts/tf/make_fixtures.py [--only NAME] [--out tests/fixtures/tf]
"""
import argparse
import json
import os
import shutil
import sys
import types

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
# tensorflowjs imports tensorflow_decision_forests at module load; only decision-forest models use it
sys.modules.setdefault("tensorflow_decision_forests", types.ModuleType("tensorflow_decision_forests"))

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402
import tf_keras as keras  # noqa: E402
from tensorflow.python.framework.convert_to_constants import convert_variables_to_constants_v2  # noqa: E402
from tensorflowjs.converters import tf_saved_model_conversion_v2  # noqa: E402

SEED = 1234


def mulberry32(seed, count):
    """uniformFloat32(count, seed, 0, 1) of src/core/random.ts."""
    s = (seed & 0xFFFFFFFF) or 0x9E3779B9
    out = np.empty(count, dtype=np.float32)
    m = 0xFFFFFFFF

    def imul(a, b):
        return (a * b) & m

    for i in range(count):
        s = (s + 0x6D2B79F5) & m
        t = s
        t = imul(t ^ (t >> 15), t | 1)
        t ^= (t + imul(t ^ (t >> 7), t | 61)) & m
        t &= m
        out[i] = np.float32(((t ^ (t >> 14)) & m) / 4294967296)
    return out


def seeded_input(i, shape):
    return mulberry32(SEED + i, int(np.prod(shape))).reshape(shape)


# ------------------------------------------------------------------ Keras models
def conv_bn(x, filters, kernel=3, strides=1, act="relu6", name=None):
    x = keras.layers.Conv2D(filters, kernel, strides=strides, padding="same", use_bias=False, name=name)(x)
    x = keras.layers.BatchNormalization()(x)
    if act == "relu6":
        x = keras.layers.ReLU(6.0)(x)
    elif act:
        x = keras.layers.Activation(act)(x)
    return x


def inverted_residual(x, expand, out, strides):
    c = x.shape[-1]
    y = conv_bn(x, c * expand, 1)
    y = keras.layers.DepthwiseConv2D(3, strides=strides, padding="same", use_bias=False)(y)
    y = keras.layers.BatchNormalization()(y)
    y = keras.layers.ReLU(6.0)(y)
    y = conv_bn(y, out, 1, act=None)
    if strides == 1 and c == out:
        y = keras.layers.Add()([x, y])
    return y


def mobilenet_v2_block():
    inp = keras.Input((32, 32, 3), name="image")
    x = conv_bn(inp, 8, 3, 2)
    x = inverted_residual(x, 2, 8, 1)
    x = inverted_residual(x, 3, 12, 2)
    x = inverted_residual(x, 3, 12, 1)
    x = conv_bn(x, 16, 1)
    x = keras.layers.GlobalAveragePooling2D()(x)
    x = keras.layers.Dense(10)(x)
    out = keras.layers.Softmax()(x)
    return keras.Model(inp, out, name="mobilenet_v2_block")


def segmenter():
    """U-Net / DeepLab-style: strided encoder, dilated (atrous) branch, bilinear upsampling, skips."""
    inp = keras.Input((32, 32, 3), name="image")
    e1 = conv_bn(inp, 8, 3, 1, act="relu")
    e2 = conv_bn(e1, 12, 3, 2, act="relu")
    e3 = conv_bn(e2, 16, 3, 2, act="relu")
    a1 = keras.layers.Conv2D(8, 1, padding="same", activation="relu")(e3)
    a2 = keras.layers.Conv2D(8, 3, padding="same", dilation_rate=2, activation="relu")(e3)
    pooled = keras.layers.AveragePooling2D(2, strides=1, padding="same")(e3)
    aspp = keras.layers.Concatenate()([a1, a2, pooled])
    d2 = keras.layers.UpSampling2D(2, interpolation="bilinear")(aspp)
    d2 = keras.layers.Concatenate()([d2, e2])
    d2 = conv_bn(d2, 12, 3, act="relu")
    d1 = keras.layers.Resizing(32, 32, interpolation="bilinear")(d2)
    d1 = keras.layers.Concatenate()([d1, e1])
    d1 = keras.layers.Conv2D(8, 3, padding="same", activation="relu")(d1)
    out = keras.layers.Conv2D(1, 1, activation="sigmoid", name="mask")(d1)
    return keras.Model(inp, out, name="segmenter")


def matting():
    """Matting-style encoder–decoder: PReLU, max / average pooling, Conv2DTranspose, skip adds."""
    inp = keras.Input((32, 32, 3), name="image")
    e1 = keras.layers.Conv2D(8, 3, padding="same")(inp)
    e1 = keras.layers.PReLU(shared_axes=[1, 2])(e1)
    p1 = keras.layers.MaxPooling2D(2)(e1)
    e2 = keras.layers.Conv2D(12, 3, padding="same")(p1)
    e2 = keras.layers.BatchNormalization()(e2)
    e2 = keras.layers.PReLU(shared_axes=[1, 2])(e2)
    p2 = keras.layers.AveragePooling2D(2)(e2)
    b = keras.layers.Conv2D(16, 3, padding="same", activation="elu")(p2)
    u2 = keras.layers.Conv2DTranspose(12, 3, strides=2, padding="same")(b)
    u2 = keras.layers.Add()([u2, e2])
    u2 = keras.layers.LeakyReLU(0.2)(u2)
    u1 = keras.layers.Conv2DTranspose(8, 2, strides=2, padding="valid")(u2)
    u1 = keras.layers.Concatenate()([u1, e1])
    u1 = keras.layers.Conv2D(8, 3, padding="same", activation="tanh")(u1)
    alpha = keras.layers.Conv2D(1, 3, padding="same", activation="sigmoid", name="alpha")(u1)
    return keras.Model(inp, alpha, name="matting")


def hard_swish(x):
    return keras.layers.Multiply()([x, keras.layers.ReLU(6.0)(keras.layers.Lambda(lambda v: v + 3.0)(x)) / 6.0])


def squeeze_excite(x, ratio=4):
    c = x.shape[-1]
    s = keras.layers.GlobalAveragePooling2D(keepdims=True)(x)
    s = keras.layers.Conv2D(max(1, c // ratio), 1, activation="relu")(s)
    s = keras.layers.Conv2D(c, 1, activation="hard_sigmoid")(s)
    return keras.layers.Multiply()([x, s])


def mobilenet_v3_block():
    """MobileNetV3 / EfficientNet-lite style: hard-swish, swish, squeeze-and-excite, inverted residuals."""
    inp = keras.Input((32, 32, 3), name="image")
    x = keras.layers.Conv2D(8, 3, strides=2, padding="same", use_bias=False)(inp)
    x = keras.layers.BatchNormalization()(x)
    x = hard_swish(x)
    y = keras.layers.Conv2D(16, 1, use_bias=False)(x)
    y = keras.layers.BatchNormalization()(y)
    y = keras.layers.Activation("swish")(y)
    y = keras.layers.DepthwiseConv2D(5, padding="same", use_bias=False)(y)
    y = keras.layers.BatchNormalization()(y)
    y = hard_swish(y)
    y = squeeze_excite(y)
    y = keras.layers.Conv2D(8, 1, use_bias=False)(y)
    y = keras.layers.BatchNormalization()(y)
    x = keras.layers.Add()([x, y])
    x = keras.layers.Conv2D(4, 1, activation="sigmoid", name="mask")(x)
    return keras.Model(inp, x, name="mobilenet_v3_block")


KERAS_MODELS = {"mobilenet_v3_block": mobilenet_v3_block, "mobilenet_v2_block": mobilenet_v2_block, "segmenter": segmenter, "matting": matting}


# ------------------------------------------------------------------ per-op graphs
def op_graphs():
    """name → (function of the inputs, input shapes). Each covers one op family."""
    c = tf.constant
    r = np.random.default_rng(7)

    def w(*shape):
        return c(r.standard_normal(shape).astype(np.float32) * 0.5)

    # every constant is made here, once: a lambda that drew its own would get new values on each trace
    k33, kdw, kt = w(3, 3, 4, 6), w(3, 3, 4, 2), w(3, 3, 5, 4)
    b6, b4, w16, b8 = w(6), w(4), w(16, 8), w(8)
    return {
        "op_conv": (lambda x: tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, k33, 2, "SAME"), b6)) + tf.nn.conv2d(x, k33, 1, [[0, 0], [1, 1], [0, 1], [0, 0]])[:, ::2, ::2, :], [[1, 8, 8, 4]]),
        "op_depthwise": (lambda x: tf.nn.relu6(tf.nn.depthwise_conv2d(x, kdw, [1, 1, 1, 1], "SAME", dilations=[2, 2])), [[1, 8, 8, 4]]),
        "op_conv_transpose": (lambda x: tf.nn.conv2d_transpose(x, kt, [1, 15, 15, 5], 2, "SAME"), [[1, 8, 8, 4]]),
        "op_pool": (lambda x: tf.concat([tf.nn.avg_pool2d(x, 3, 2, "SAME"), tf.nn.max_pool2d(x, 3, 2, "SAME"), tf.nn.avg_pool2d(x, 2, 2, "VALID")], -1), [[1, 8, 8, 4]]),
        "op_pad": (lambda x: tf.concat([tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]]), tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]], "REFLECT"), tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]], "SYMMETRIC"), tf.pad(x, [[0, 0], [1, 1], [2, 0], [0, 0]], constant_values=0.5)], -1), [[1, 8, 8, 4]]),
        "op_resize": (lambda x: tf.concat([
            tf.compat.v1.image.resize_bilinear(x, [12, 12], align_corners=True),
            tf.compat.v1.image.resize_bilinear(x, [12, 12], half_pixel_centers=True),
            tf.compat.v1.image.resize_bilinear(x, [12, 12]),
            tf.compat.v1.image.resize_nearest_neighbor(x, [12, 12], half_pixel_centers=True),
            tf.compat.v1.image.resize_nearest_neighbor(x, [12, 12], align_corners=True),
            tf.compat.v1.image.resize_nearest_neighbor(x, [12, 12]),
        ], -1), [[1, 8, 8, 4]]),
        "op_elementwise": (lambda x, y: tf.concat([
            x + y, x - y, x * y, x / (y + 1.0), tf.maximum(x, y), tf.minimum(x, y), tf.math.squared_difference(x, y),
            tf.square(x), tf.math.rsqrt(x + 1.0), tf.sqrt(x), tf.pow(x + 1.0, y), tf.exp(x), tf.math.log(x + 1.0), tf.abs(x - 0.5),
            -x, tf.floor(x * 4.0), tf.math.ceil(x * 4.0), tf.round(x * 4.0), tf.sin(x), tf.cos(x), tf.sign(x - 0.5),
            tf.math.floordiv(x * 8.0, y + 1.0), tf.math.floormod(x * 8.0, y + 1.0), tf.math.add_n([x, y, x]),
            tf.where(x > y, x, y), tf.cast(tf.logical_and(x > 0.3, tf.logical_not(y < 0.2)), tf.float32),
            tf.cast(tf.logical_or(tf.equal(x, y), tf.greater_equal(x, 0.5)), tf.float32), tf.cast(tf.less_equal(x, y), tf.float32),
            tf.cast(tf.not_equal(x, y), tf.float32), x + b4,
        ], -1), [[1, 4, 4, 4], [1, 4, 4, 4]]),
        "op_activations": (lambda x: tf.concat([
            tf.nn.relu(x - 0.5), tf.nn.relu6(x * 8.0), tf.nn.elu(x - 0.5), tf.nn.selu(x - 0.5), tf.nn.leaky_relu(x - 0.5, 0.1),
            tf.sigmoid(x), tf.tanh(x), tf.nn.softplus(x), tf.nn.softmax(x), tf.nn.log_softmax(x),
        ], -1), [[1, 4, 4, 4]]),
        "op_shape": (lambda x: tf.concat([
            tf.reshape(tf.transpose(tf.reshape(x, [1, 4, 2, 2, 4]), [0, 1, 3, 2, 4]), [1, 4, 4, 4]),
            tf.squeeze(tf.expand_dims(x, 0), 0)[..., :4] * 2.0,
            tf.stack(tf.unstack(x, axis=3)[::-1], axis=3),
            tf.concat(tf.split(x, 2, axis=3)[::-1], 3),
            tf.concat(tf.split(x, [1, 3], axis=2)[::-1], 2),
            tf.tile(x[:, :2, :, :], [1, 2, 1, 1]),
            tf.reshape(tf.nn.depth_to_space(x, 2), [1, 4, 4, 4]),
            tf.broadcast_to(x[:, :, :1, :], [1, 4, 4, 4]) + tf.zeros_like(x) + tf.ones_like(x),
        ], -1), [[1, 4, 4, 4]]),
        "op_slice": (lambda x: tf.concat([
            tf.reshape(x[:, 1:3, ::2, 1:], [1, 2, 6]), tf.reshape(x[0, -2:, 1, ...][tf.newaxis], [1, 2, 4]) * 1.0 + tf.zeros([1, 2, 2]) @ tf.ones([2, 4]) * 0.0,
            tf.reshape(tf.slice(x, [0, 1, 1, 0], [1, 2, 2, 3]), [1, 2, 6]),
            tf.reshape(tf.gather(x, [3, 0, 2], axis=3), [1, 2, 24]),
            tf.reshape(tf.gather_nd(x, [[0, 1], [0, 3]]), [1, 2, 16]),
        ], -1), [[1, 4, 4, 4]]),
        "op_reduce": (lambda x: tf.concat([
            tf.reduce_mean(x, [1, 2]), tf.reduce_sum(x, [1, 2]), tf.reduce_max(x, [1, 2]), tf.reduce_min(x, [1, 2]), tf.reduce_prod(x + 0.5, [1, 2]),
            tf.reshape(tf.reduce_mean(x, 3, keepdims=True), [1, 16]), tf.cast(tf.argmax(tf.reshape(x, [1, 16, 4]), 2), tf.float32) + 0.0 * tf.reduce_sum(x),
            tf.cast(tf.argmin(tf.reshape(x, [1, 16, 4]), 2), tf.float32),
            tf.cast(tf.reduce_all(x > 0.01, [1, 2]), tf.float32), tf.cast(tf.reduce_any(x > 0.9, [1, 2]), tf.float32),
        ], -1), [[1, 4, 4, 4]]),
        "op_matmul": (lambda x, y: tf.concat([tf.reshape(tf.matmul(x, y), [1, 16]), tf.reshape(tf.matmul(x, y, transpose_b=True), [1, 16]),
                                               tf.reshape(tf.matmul(tf.reshape(x, [2, 2, 4]), tf.reshape(y, [2, 4, 2])), [1, 8]),
                                               tf.nn.relu(tf.matmul(tf.reshape(x, [1, 16]), w16) + b8)], -1), [[4, 4], [4, 4]]),
        "op_misc": (lambda x, y: tf.concat([
            tf.reshape(tf.math.top_k(tf.reshape(x, [1, 16, 4]), 2).values, [1, 32]), tf.reshape(tf.math.atan2(x - 0.5, y - 0.5), [1, 64]),
            tf.reshape(tf.nn.relu(tf.compat.v1.batch_to_space_nd(tf.compat.v1.space_to_batch_nd(x, [2, 2], [[0, 0], [0, 0]]) * 2.0, [2, 2], [[0, 0], [0, 0]])), [1, 64]),
        ], -1), [[1, 4, 4, 4], [1, 4, 4, 4]]),
    }


# further signatures of a fixture's SavedModel (for --signature)
EXTRA_SIGNATURES = {"op_pool": {"max_only": lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME")}}


class OpModule(tf.Module):
    def __init__(self, fn, shapes, extra=None):
        super().__init__()
        self.fn = fn
        specs = [tf.TensorSpec(s, tf.float32, name=f"x{i}") for i, s in enumerate(shapes)]
        self.serve = tf.function(lambda *xs: {"y": self.fn(*xs)}, input_signature=specs)
        self.extra = {k: self._signature(f, specs) for k, f in (extra or {}).items()}

    @staticmethod
    def _signature(f, specs):
        return tf.function(lambda *xs: {"y": f(*xs)}, input_signature=specs)


# ------------------------------------------------------------------ writers
def peer_tflite(saved_dir):
    """TensorFlow's own TFLite converter on the SavedModel: op histogram and size (None when it refuses)."""
    try:
        conv = tf.lite.TFLiteConverter.from_saved_model(saved_dir)
        blob = conv.convert()
    except Exception as e:  # noqa: BLE001 - any refusal is recorded, not fatal
        return {"error": str(e).splitlines()[0][:200]}
    interp = tf.lite.Interpreter(model_content=blob)
    ops = {}
    for d in interp._get_ops_details():  # noqa: SLF001 - the only op listing tf.lite exposes
        ops[d["op_name"]] = ops.get(d["op_name"], 0) + 1
    return {"bytes": len(blob), "ops": dict(sorted(ops.items())), "tensorflow": tf.__version__}


def write_fixture(out_root, name, fn, specs, keras_model=None, quantized=False):
    d = os.path.join(out_root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "reference"))
    saved = os.path.join(d, "saved_model")
    if keras_model is not None:
        tf.saved_model.save(keras_model, saved)
        concrete = tf.function(lambda *xs: keras_model(list(xs) if len(xs) > 1 else xs[0], training=False)).get_concrete_function(*specs)
        call = lambda *xs: keras_model(list(xs) if len(xs) > 1 else xs[0], training=False)  # noqa: E731
    else:
        module = OpModule(fn, [s.shape for s in specs], EXTRA_SIGNATURES.get(name))
        tf.saved_model.save(module, saved, signatures={"serving_default": module.serve, **module.extra})
        concrete = module.serve.get_concrete_function()
        call = lambda *xs: module.serve(*xs)["y"]  # noqa: E731
    frozen = convert_variables_to_constants_v2(concrete)
    with open(os.path.join(d, "frozen.pb"), "wb") as f:
        f.write(frozen.graph.as_graph_def().SerializeToString())
    tf_saved_model_conversion_v2.convert_tf_saved_model(saved, os.path.join(d, "tfjs"), signature_def="serving_default", saved_model_tags="serve")
    if quantized:
        # tfjs's quantized weight encodings: raw float16, and uint8 with per-weight min / scale
        for dtype in ("float16", "uint8"):
            tf_saved_model_conversion_v2.convert_tf_saved_model(
                saved, os.path.join(d, f"tfjs_{dtype}"), signature_def="serving_default", saved_model_tags="serve", quantization_dtype_map={dtype: True}
            )
    # static-shape copies of the inputs for the reference run (batch 1 where the model leaves it open)
    shapes = [[1 if v is None else v for v in s.shape.as_list()] for s in specs]
    xs = [seeded_input(i, s) for i, s in enumerate(shapes)]
    ys = call(*[tf.constant(x) for x in xs])
    ys = ys if isinstance(ys, (list, tuple)) else [ys]
    for i, x in enumerate(xs):
        np.save(os.path.join(d, "reference", f"input_{i}.npy"), x)
    for i, y in enumerate(ys):
        np.save(os.path.join(d, "reference", f"output_{i}.npy"), np.asarray(y, dtype=np.float32))
    sig = tf.saved_model.load(saved).signatures["serving_default"]
    manifest = {
        "name": name,
        "tensorflow": tf.__version__,
        "seed": SEED,
        "inputs": {
            "frozen": [t.name.split(":")[0] for t in frozen.inputs],
            "signature": sorted(sig.structured_input_signature[1].keys()),
            "shapes": shapes,
        },
        "outputs": {"frozen": [t.name for t in frozen.outputs], "signature": sorted(sig.structured_outputs.keys())},
        "peer": peer_tflite(saved),
    }
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(f"{name}: {manifest['peer'].get('bytes', manifest['peer'].get('error'))}")


def tf1_fixture(out_root, name="tf1_conv"):
    """A TF1-style graph (placeholders, tf.compat.v1 variables, simple_save): a SavedModel without an object graph."""
    d = os.path.join(out_root, name)
    shutil.rmtree(d, ignore_errors=True)
    os.makedirs(os.path.join(d, "reference"))
    saved = os.path.join(d, "saved_model")
    r = np.random.default_rng(3)
    shape = [1, 8, 8, 3]
    x_in = seeded_input(0, shape)
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, shape, name="x")
        w = tf.compat.v1.get_variable("w", initializer=(r.standard_normal((3, 3, 3, 4)) * 0.5).astype(np.float32))
        b = tf.compat.v1.get_variable("b", initializer=(r.standard_normal(4) * 0.1).astype(np.float32))
        y = tf.nn.relu(tf.nn.bias_add(tf.nn.conv2d(x, w, 1, "SAME"), b), name="y")
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            tf.compat.v1.saved_model.simple_save(sess, saved, {"x": x}, {"y": y})
            frozen = tf.compat.v1.graph_util.convert_variables_to_constants(sess, g.as_graph_def(), ["y"])
            out = sess.run(y, {x: x_in})
    with open(os.path.join(d, "frozen.pb"), "wb") as f:
        f.write(frozen.SerializeToString())
    tf_saved_model_conversion_v2.convert_tf_saved_model(saved, os.path.join(d, "tfjs"), signature_def="serving_default", saved_model_tags="serve")
    np.save(os.path.join(d, "reference", "input_0.npy"), x_in)
    np.save(os.path.join(d, "reference", "output_0.npy"), out.astype(np.float32))
    manifest = {
        "name": name,
        "tensorflow": tf.__version__,
        "seed": SEED,
        "inputs": {"frozen": ["x"], "signature": ["x"], "shapes": [shape]},
        "outputs": {"frozen": ["y:0"], "signature": ["y"]},
        "peer": peer_tflite(saved),
    }
    with open(os.path.join(d, "manifest.json"), "w") as f:
        json.dump(manifest, f, indent=2)
    print(f"{name}: {manifest['peer'].get('bytes', manifest['peer'].get('error'))}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "..", "..", "tests", "fixtures", "tf"))
    ap.add_argument("--only")
    a = ap.parse_args()
    for name, build in KERAS_MODELS.items():
        if a.only and (a.only != name or a.only == "ops"):
            continue
        keras.utils.set_random_seed(SEED)  # per model, so --only NAME rebuilds the same weights
        model = build()
        # random BN statistics, so folding them is exercised
        for layer in model.layers:
            if isinstance(layer, keras.layers.BatchNormalization):
                c = layer.moving_mean.shape[0]
                layer.moving_mean.assign(np.random.default_rng(c).uniform(-0.2, 0.2, c).astype(np.float32))
                layer.moving_variance.assign(np.random.default_rng(c + 1).uniform(0.5, 1.5, c).astype(np.float32))
        specs = [tf.TensorSpec([None, *model.input_shape[1:]], tf.float32, name="image")]
        write_fixture(a.out, name, None, specs, keras_model=model, quantized=name == "matting")
    for name, (fn, shapes) in op_graphs().items():
        if a.only and a.only != name and not (a.only == "ops" and name.startswith("op_")):
            continue
        write_fixture(a.out, name, fn, [tf.TensorSpec(s, tf.float32, name=f"x{i}") for i, s in enumerate(shapes)])
    if not a.only or a.only == "tf1_conv":
        tf1_fixture(a.out)


if __name__ == "__main__":
    main()
