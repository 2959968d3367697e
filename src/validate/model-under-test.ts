/**
 * A model `mai validate` runs: loaded in its runtime (ONNX → onnxruntime-node,
 * .tflite → LiteRT.js, a TF graph as reference → TensorFlow.js), with its image input read from its declared shape
 * (NCHW [1,3,H,W] for ONNX, NHWC [1,H,W,3] for TFLite).
 */
import { inputError } from '../core/errors.js';
import { readModelInput } from '../core/read-model.js';
import { detectFormat } from '../core/model-format.js';
import type { FloatImage } from '../data/image.js';
import { fromModelOutput, imageInputSpec, toModelInput, type ImageInputSpec, type ScaleOptions } from '../data/preprocess.js';
import { liteRtRuntime } from '../runtime/litert.js';
import { onnxRuntime } from '../runtime/onnxruntime.js';
import type { LoadedModel } from '../runtime/types.js';

export interface ModelInfo {
  path: string;
  format: 'onnx' | 'tflite' | 'tf-graph';
  runtime: string;
  sizeBytes: number;
  input: { name: string; shape: number[]; layout: 'NHWC' | 'NCHW' };
  output: { name: string; shape: number[] };
}

export interface ModelUnderTest {
  info: ModelInfo;
  /** how an image file is decoded for this model's input (its size and channels) */
  inputImage: { width: number; height: number; channels: 1 | 3 };
  /** run one image decoded with `inputImage`; returns the chosen output as an image */
  run(input: FloatImage): Promise<FloatImage>;
  dispose(): Promise<void>;
}

/** Loads a TF graph (bytes of `file`) into TensorFlow.js as a LoadedModel. */
export type TfReferenceLoader = (bytes: Uint8Array, file: string) => Promise<LoadedModel>;

export async function loadModelUnderTest(
  path: string,
  role: 'reference' | 'candidate',
  scale: ScaleOptions = {},
  outputIndex = 0,
  loadTfReference?: TfReferenceLoader,
): Promise<ModelUnderTest> {
  const bytes = await readModelInput(path, `${role} model`);
  const format = detectFormat(bytes, path);
  if (format !== 'onnx' && format !== 'tflite' && format !== 'tf-graph') {
    throw inputError('unsupported-format', `${role} model ${path}: expected an .onnx or .tflite file, or a TF graph (model.json, frozen .pb, SavedModel)`, { file: path });
  }
  if (role === 'candidate' && format !== 'tflite') {
    throw inputError('unsupported-format', `candidate model ${path}: expected a .tflite file (the candidate runs in LiteRT)`, { file: path });
  }
  // a TF graph runs in TensorFlow.js, through the loader the caller passes from the TF frontend
  if (format === 'tf-graph' && !loadTfReference) throw inputError('unsupported-format', `${role} model ${path}: a TF graph reference is not supported here; convert it first`, { file: path });
  const model: LoadedModel =
    format === 'tf-graph' ? await loadTfReference!(bytes, path) : await (format === 'onnx' ? onnxRuntime : liteRtRuntime).load(bytes, { file: path });
  const inputs = model.inputs();
  const outputs = model.outputs();
  if (inputs.length !== 1) {
    await model.dispose();
    throw inputError('unsupported-input', `${role} model ${path} has ${inputs.length} inputs; validate feeds one image input`, { file: path });
  }
  const inp = inputs[0]!;
  if (inp.dtype !== 'float32') {
    await model.dispose();
    throw inputError('unsupported-input', `${role} model ${path}: input '${inp.name}' is ${inp.dtype}; validate feeds float32 images`, {
      file: path,
      hint: 'quantized models with float32 inputs/outputs (quantize/dequantize inside) are supported',
    });
  }
  let spec: ImageInputSpec;
  try {
    spec = imageInputSpec(inp.shape, `${role} model ${path} input '${inp.name}'`, format === 'onnx' ? 'NCHW' : 'NHWC');
  } catch (e) {
    await model.dispose();
    throw e;
  }
  const out0 = outputs[outputIndex];
  if (!out0) {
    await model.dispose();
    throw inputError('bad-option', `${role} model ${path} has ${outputs.length} output(s); there is no output #${outputIndex}`, { file: path });
  }
  const info: ModelInfo = {
    path,
    format,
    runtime: model.runtime,
    sizeBytes: bytes.byteLength,
    input: { name: inp.name, shape: inp.shape, layout: spec.layout },
    output: { name: out0.name, shape: out0.shape },
  };
  return {
    info,
    inputImage: { width: spec.width, height: spec.height, channels: spec.channels === 1 ? 1 : 3 },
    async run(input: FloatImage) {
      const data = toModelInput(input, spec, scale);
      const res = (await model.run([{ name: inp.name, dtype: 'float32', shape: spec.shape, data }]))[outputIndex];
      if (!res) throw inputError('no-output', `${role} model ${path} returned no output`, { file: path });
      return fromModelOutput(res.data as ArrayLike<number>, res.shape, spec.layout, `${role} model ${path} output '${res.name}'`);
    },
    dispose: () => model.dispose(),
  };
}
