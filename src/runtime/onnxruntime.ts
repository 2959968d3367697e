/** onnxruntime-node (CPU) as a `Runtime`: the ONNX reference. */
import type { DType } from '../ir/dtype.js';
import { environmentError, inputError } from '../core/errors.js';
import { dirname } from 'node:path';
import type { HostTensor, IoDetail, LoadedModel, LoadOptions, Runtime } from './types.js';

type Ort = typeof import('onnxruntime-node');
let ortPromise: Promise<Ort> | undefined;

async function ort(): Promise<Ort> {
  ortPromise ??= import('onnxruntime-node').catch((e: unknown) => {
    throw environmentError('onnxruntime-missing', `cannot load onnxruntime-node: ${(e as Error).message}`, { cause: e });
  });
  return ortPromise;
}

const ORT_DTYPE: Partial<Record<string, DType>> = {
  float32: 'float32', float16: 'float16', float64: 'float64', int8: 'int8', uint8: 'uint8', int16: 'int16',
  uint16: 'uint16', int32: 'int32', uint32: 'uint32', int64: 'int64', uint64: 'uint64', bool: 'bool', string: 'string',
};

export const onnxRuntime: Runtime = {
  name: 'onnxruntime-node',
  async load(bytes: Uint8Array, opts: LoadOptions = {}): Promise<LoadedModel> {
    const o = await ort();
    let session: Awaited<ReturnType<Ort['InferenceSession']['create']>>;
    try {
      // From a file, onnxruntime resolves external-data paths against the model's folder;
      // from bytes it would use the current directory.
      // logSeverityLevel 3 (errors): onnxruntime's warnings about what it tolerates in real exports
      // (unused initializers after QDQ export, value_info it merges leniently) are not the user's to act on
      const create = (graphOptimizationLevel: 'disabled' | 'basic') => {
        const options = { graphOptimizationLevel, logSeverityLevel: 3 } as const;
        return opts.file ? o.InferenceSession.create(opts.file, options) : o.InferenceSession.create(bytes, options);
      };
      // unoptimized first (the graph exactly as written); onnxruntime 1.30 refuses some valid fp16 graphs
      // unoptimized (its cast insertion mistypes a float16→float16 Cast feeding a float16 op it has no
      // kernel for, e.g. Sqrt in fp16 attention), which its basic, semantics-preserving level loads
      session = await create('disabled').catch((e: unknown) => create('basic').catch(() => Promise.reject(e)));
    } catch (e) {
      const where = opts.file ? ` ${opts.file} (folder ${dirname(opts.file)})` : ' the model';
      throw inputError('onnx-load-failed', `onnxruntime could not load${where}: ${(e as Error).message}`, { cause: e, file: opts.file });
    }
    const meta = (names: readonly string[], md: unknown): IoDetail[] =>
      names.map((name, i) => {
        const m = (md as Array<{ isTensor?: boolean; type?: string; shape?: Array<number | string> }> | undefined)?.[i];
        return { name, dtype: (ORT_DTYPE[m?.type ?? 'float32'] ?? 'float32') as DType, shape: (m?.shape ?? []).map((d) => (typeof d === 'number' ? d : -1)) };
      });
    const s = session as unknown as { inputMetadata?: unknown; outputMetadata?: unknown };
    return {
      runtime: 'onnxruntime-node',
      inputs: () => meta(session.inputNames, s.inputMetadata),
      outputs: () => meta(session.outputNames, s.outputMetadata),
      async run(inputs: HostTensor[]): Promise<HostTensor[]> {
        const feeds: Record<string, InstanceType<Ort['Tensor']>> = {};
        session.inputNames.forEach((name, i) => {
          const t = inputs[i];
          if (!t) throw inputError('missing-input', `no value given for model input '${name}'`);
          feeds[name] = new o.Tensor(t.dtype === 'bool' ? 'bool' : (t.dtype as 'float32'), t.data as Float32Array, t.shape);
        });
        const res = await session.run(feeds);
        return session.outputNames.map((name) => {
          const r = res[name]!;
          return { name, dtype: (ORT_DTYPE[r.type] ?? 'float32') as DType, shape: [...r.dims], data: r.data as HostTensor['data'] };
        });
      },
      async dispose() {
        await session.release();
      },
    };
  },
};
