/**
 * TensorFlow.js (tfjs-converter's graph executor on tfjs-backend-cpu, pure JS) as the reference
 * runtime for TF graphs: loads graph-model artifacts from memory and runs them on host tensors.
 * Loaded lazily: tfjs is only imported by `mai convert --check` of a TF model and its tests.
 */
import type { DType } from '../ir/dtype.js';
import { environmentError, inputError, isMaiError, type MaiError } from '../core/errors.js';
import type { HostTensor, IoDetail, LoadedModel } from './types.js';

/** tfjs graph-model artifacts: a GraphDef topology in proto3 JSON and its weights. */
export interface TfjsArtifacts {
  modelTopology: { node: unknown[]; versions?: unknown };
  weightSpecs: Array<{ name: string; shape: number[]; dtype: 'float32' | 'int32' | 'bool' }>;
  weightData: ArrayBuffer;
}

type Tf = typeof import('@tensorflow/tfjs-core');

let ready: Promise<{ tf: Tf; converter: typeof import('@tensorflow/tfjs-converter') }> | undefined;

async function tfjs() {
  ready ??= (async () => {
    try {
      const tf = await import('@tensorflow/tfjs-core');
      tf.enableProdMode(); // no debug checks, and no "install tfjs-node" banner on stdout
      await import('@tensorflow/tfjs-backend-cpu');
      const converter = await import('@tensorflow/tfjs-converter');
      await tf.setBackend('cpu');
      await tf.ready();
      return { tf, converter };
    } catch (e) {
      ready = undefined;
      throw environmentError('tfjs-unavailable', `TensorFlow.js could not be loaded: ${(e as Error).message}`, { cause: e });
    }
  })();
  return ready;
}

const TFJS_DTYPE: Partial<Record<DType, 'float32' | 'int32' | 'bool'>> = { float32: 'float32', int32: 'int32', bool: 'bool' };

/**
 * The graph loaded once as a LoadedModel: `run` feeds `inputs` by position (their names are the
 * Placeholders) and returns `outputs` (graph tensor names) in order.
 */
/** tfjs cannot load or run the graph (an op or fused activation its CPU backend lacks): bad input for the check, exit 2. */
function tfjsFailed(what: string, e: unknown): MaiError {
  if (isMaiError(e)) return e;
  return inputError('tfjs-run-failed', `TensorFlow.js (the reference runtime) cannot ${what} this graph: ${(e as Error).message}`, {
    cause: e,
    hint: 'convert without --check; the TF fixtures compare against outputs recorded by TensorFlow instead',
  });
}

export async function loadTfjs(artifacts: TfjsArtifacts, io: { inputs: IoDetail[]; outputs: IoDetail[] }): Promise<LoadedModel> {
  const { tf, converter } = await tfjs();
  let model: Awaited<ReturnType<typeof converter.loadGraphModel>>;
  try {
    model = await converter.loadGraphModel(tf.io.fromMemory(artifacts as never));
  } catch (e) {
    throw tfjsFailed('load', e);
  }
  const names = io.outputs.map((o) => o.name);
  return {
    runtime: 'tfjs-cpu',
    inputs: () => io.inputs,
    outputs: () => io.outputs,
    async run(feeds: HostTensor[]): Promise<HostTensor[]> {
      const inputs: Record<string, import('@tensorflow/tfjs-core').Tensor> = {};
      try {
        feeds.forEach((f, i) => {
          const dtype = TFJS_DTYPE[f.dtype];
          if (!dtype) throw environmentError('tfjs-unsupported-input', `TensorFlow.js cannot be fed input '${f.name}' of ${f.dtype}`);
          inputs[io.inputs[i]?.name ?? f.name] = tf.tensor(f.data as Float32Array, f.shape, dtype);
        });
        // execute() runs graphs without control flow or dynamic shapes; executeAsync() the others
        let res: import('@tensorflow/tfjs-core').Tensor | import('@tensorflow/tfjs-core').Tensor[];
        try {
          res = model.execute(inputs, names);
        } catch {
          try {
            res = await model.executeAsync(inputs, names);
          } catch (e) {
            throw tfjsFailed('run', e);
          }
        }
        const list = Array.isArray(res) ? res : [res];
        const out: HostTensor[] = [];
        for (const [i, t] of list.entries()) {
          const data = await t.data();
          out.push({ name: names[i]!, dtype: t.dtype === 'int32' ? 'int32' : t.dtype === 'bool' ? 'bool' : 'float32', shape: t.shape, data: data as Float32Array });
          t.dispose();
        }
        return out;
      } finally {
        for (const t of Object.values(inputs)) t.dispose();
      }
    },
    async dispose() {
      model.dispose();
    },
  };
}

/** Runs the graph once on `feeds` (by Placeholder name) and returns `outputs` (tensor names) as host tensors. */
export async function runTfjs(artifacts: TfjsArtifacts, feeds: HostTensor[], outputs: string[]): Promise<HostTensor[]> {
  const m = await loadTfjs(artifacts, {
    inputs: feeds.map((f) => ({ name: f.name, dtype: f.dtype, shape: f.shape })),
    outputs: outputs.map((name) => ({ name, dtype: 'float32', shape: [] })),
  });
  try {
    return await m.run(feeds);
  } finally {
    await m.dispose();
  }
}
