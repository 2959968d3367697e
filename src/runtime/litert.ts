/**
 * LiteRT.js (Google's TFLite runtime compiled to WebAssembly, XNNPACK kernels)
 * in Node. Its loader expects a browser, so we provide the few globals it
 * touches: `self`, `importScripts` (evaluates the loader script),
 * `require` and `__dirname` pointing at the package's wasm folder.
 */
import { createRequire } from 'node:module';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import vm from 'node:vm';
import { DTYPE_SIZE, type DType } from '../ir/dtype.js';
import { environmentError, inputError, internalError, isMaiError, type MaiError } from '../core/errors.js';
import type { HostTensor, IoDetail, LoadedModel, LoadOptions, Runtime } from './types.js';

type LiteRtModule = typeof import('@litertjs/core');

let loading: Promise<LiteRtModule> | undefined;

function wasmDir(): string {
  const require = createRequire(import.meta.url);
  const pkg = require.resolve('@litertjs/core/package.json');
  return join(dirname(pkg), 'wasm') + '/';
}

/** LiteRT's own chatter (INFO/WARNING lines, the missing-WebGPU notice in Node); MAI_RUNTIME_LOGS=1 shows it. */
const RUNTIME_NOISE = /^(INFO|WARNING|VERBOSE): |^Failed to create default WebGPU device|Created TensorFlow Lite XNNPACK delegate/;

/**
 * LiteRT.js reports some failures (a kernel refusing a node in Prepare, an
 * XNNPACK setup error) only as "ERROR: …" log lines while `run()` still returns
 * tensors. Every such line is collected here so load/run can throw instead of
 * handing back garbage.
 */
const loggedErrors: string[] = [];

function filterRuntimeLogs(): void {
  for (const level of ['log', 'error', 'warn', 'info'] as const) {
    const original = console[level].bind(console);
    console[level] = (...args: unknown[]) => {
      const first = args[0];
      const text = typeof first === 'string' ? first : first instanceof Error ? first.message : '';
      if (/^\s*ERROR\b/.test(text)) loggedErrors.push(text.trim());
      if (!process.env.MAI_RUNTIME_LOGS && (RUNTIME_NOISE.test(text) || /^\s*ERROR\b/.test(text))) return;
      original(...args);
    };
  }
}

/** Runs `fn`; if LiteRT logged ERROR lines meanwhile, throws them as one MaiError. */
async function failOnLoggedErrors<T>(what: string, fn: () => T | Promise<T>, file?: string): Promise<T> {
  loggedErrors.length = 0;
  const result = await fn();
  if (loggedErrors.length) {
    const lines = loggedErrors.splice(0);
    throw inputError('litert-failed', `LiteRT ${what} failed: ${lines.join(' | ')}`, { file });
  }
  return result;
}

/** LiteRT.js's WebAssembly heap ceiling: its emscripten `getHeapMax` (wasm/litert_wasm_internal.js) is 2 GiB. */
export const LITERT_HEAP_MAX_BYTES = 2 ** 31;

/**
 * A failure LiteRT.js throws from `run()` as a typed error. A tensor buffer it cannot
 * allocate (litert_tensor_buffer.h) or a heap grown to its ceiling means the model's
 * tensors, with those of every model still loaded in this process, do not fit the 2 GiB
 * WebAssembly heap: 'litert-out-of-memory' (exit 3), with the sizes; so is a logged
 * 'litert-failed' (e.g. XNNPACK failing to reshape) on a full heap. Anything else is 'litert-failed'.
 */
function runError(e: unknown, what: string, outputs: readonly IoDetail[], heapBytes: number, file?: string): MaiError {
  if (isMaiError(e) && e.code !== 'litert-failed') return e;
  const message = e instanceof Error ? e.message : String(e);
  const line = message.replace(`LiteRT ${what} failed: `, '').replace(/\s+/g, ' ').trim();
  if (/litert_tensor_buffer\.h/.test(message) || heapBytes >= LITERT_HEAP_MAX_BYTES) {
    const mib = (b: number) => `${(b / 2 ** 20).toFixed(0)} MiB`;
    const outBytes = outputs.reduce((a, o) => a + o.shape.reduce((n, d) => n * d, 1) * (DTYPE_SIZE[o.dtype] ?? 4), 0);
    return environmentError(
      'litert-out-of-memory',
      `LiteRT ${what}: out of WebAssembly memory (its heap is limited to ${mib(LITERT_HEAP_MAX_BYTES)}; ${mib(heapBytes)} in use, this model's outputs alone need ${mib(outBytes)}): ${line}`,
      { file, cause: e, hint: 'load fewer models at once, expose fewer tensors as outputs, or use a smaller input size' },
    );
  }
  return isMaiError(e) ? e : inputError('litert-failed', `LiteRT ${what} failed: ${line}`, { file, cause: e });
}

function installShim(dir: string): void {
  filterRuntimeLogs();
  const g = globalThis as Record<string, unknown>;
  g.self ??= globalThis;
  g.require ??= createRequire(join(dir, 'x.js'));
  // set even where defined: a worker started from source text has its own ('.')
  g.__dirname = dir;
  g.importScripts ??= (path: string) => {
    const file = path.startsWith('file://') ? new URL(path).pathname : path;
    vm.runInThisContext(readFileSync(file, 'utf8'), { filename: file });
  };
}

/** Loads the LiteRT.js wasm runtime once per process. */
export async function liteRt(): Promise<LiteRtModule> {
  loading ??= (async () => {
    const dir = wasmDir();
    installShim(dir);
    const mod = await import('@litertjs/core');
    try {
      await mod.loadLiteRt(dir);
    } catch (e) {
      throw environmentError('litert-load-failed', `cannot load LiteRT.js from ${dir}: ${(e as Error).message}`, { cause: e });
    }
    return mod;
  })();
  return loading;
}

/** The parts of LiteRT.js's wasm module a zero-copy read of an output needs (as its own toTypedArray uses them). */
interface WasmHeap {
  HEAPU8: Uint8Array;
  LiteRtTensorBufferLockMode: { READ: unknown };
}
interface TensorBufferLock {
  lock(mode: unknown): number;
  unlock(): void;
  packedSize(): number;
}

function toIo(d: { name: string; dtype: string; shape: Int32Array }): IoDetail {
  return { name: d.name, dtype: d.dtype as DType, shape: Array.from(d.shape) };
}

/** LiteRT.js (wasm / XNNPACK) as a `Runtime`. */
export const liteRtRuntime: Runtime = {
  name: 'litert-wasm',
  async load(bytes: Uint8Array, opts: LoadOptions = {}): Promise<LoadedModel> {
    const lrt = await liteRt();
    const what = opts.file ? ` ${opts.file}` : '';
    let model: Awaited<ReturnType<LiteRtModule['loadAndCompile']>>;
    try {
      model = await failOnLoggedErrors(`load of${what || ' the model'}`, () => lrt.loadAndCompile(new Uint8Array(bytes), { accelerator: 'wasm' }), opts.file);
    } catch (e) {
      if ((e as { code?: string }).code === 'litert-failed') throw e;
      throw inputError('tflite-load-failed', `LiteRT could not load${what || ' the model'}: ${(e as Error).message}`, { cause: e, file: opts.file });
    }
    const heapBytes = () => (lrt.getGlobalLiteRt().liteRtWasm as unknown as WasmHeap).HEAPU8.buffer.byteLength;
    const runModel = async (tensors: InstanceType<LiteRtModule['Tensor']>[]) => {
      try {
        return await failOnLoggedErrors(`run${what}`, () => model.run(tensors), opts.file);
      } catch (e) {
        throw runError(e, `run${what}`, model.getOutputDetails().map(toIo), heapBytes(), opts.file);
      }
    };
    return {
      runtime: 'litert-wasm',
      inputs: () => model.getInputDetails().map(toIo),
      outputs: () => model.getOutputDetails().map(toIo),
      async run(inputs: HostTensor[]): Promise<HostTensor[]> {
        const details = model.getOutputDetails();
        const tensors = inputs.map((t) => new lrt.Tensor(t.data as Float32Array, t.shape));
        try {
          const results = await runModel(tensors);
          const out: HostTensor[] = [];
          for (let i = 0; i < results.length; i++) {
            const r = results[i]!;
            const arr = r.toTypedArray();
            out.push({
              name: details[i]?.name ?? `output_${i}`,
              dtype: r.type.dtype as DType,
              shape: Array.from(r.type.layout.dimensions),
              data: arr as HostTensor['data'], // toTypedArray copies out of the wasm heap
            });
            r.delete();
          }
          return out;
        } finally {
          for (const t of tensors) t.delete();
        }
      },
      async runVisit(inputs: HostTensor[], visit: (index: number, data: Float32Array) => void): Promise<void> {
        const tensors = inputs.map((t) => new lrt.Tensor(t.data as Float32Array, t.shape));
        let results: Awaited<ReturnType<typeof model.run>> = [];
        try {
          results = await runModel(tensors);
          const wasm = lrt.getGlobalLiteRt().liteRtWasm as unknown as WasmHeap;
          for (let i = 0; i < results.length; i++) {
            const buf = results[i]!.liteRtTensorBuffer as unknown as TensorBufferLock;
            if (results[i]!.type.dtype !== 'float32') throw internalError(`runVisit: output ${i} is ${results[i]!.type.dtype}, not float32`);
            const ptr = buf.lock(wasm.LiteRtTensorBufferLockMode.READ);
            try {
              visit(i, new Float32Array(wasm.HEAPU8.buffer, ptr, buf.packedSize() / 4));
            } finally {
              buf.unlock();
            }
          }
        } finally {
          for (const r of results) r.delete();
          for (const t of tensors) t.delete();
        }
      },
      async dispose() {
        model.delete();
      },
    };
  },
};
