import type { DType } from '../ir/dtype.js';

/** A host tensor passed to or returned from a runtime. */
export interface HostTensor {
  name: string;
  dtype: DType;
  shape: number[];
  data: Float32Array | Int32Array | Int8Array | Uint8Array | BigInt64Array | Uint16Array | Int16Array | Float64Array;
}

export interface IoDetail {
  name: string;
  dtype: DType;
  shape: number[];
}

/** One small interface over every runtime we use as an oracle: load(bytes) → run(inputs) → outputs. */
export interface LoadedModel {
  readonly runtime: string;
  inputs(): IoDetail[];
  outputs(): IoDetail[];
  /** Inputs in declared order (matched by position); outputs in declared order. */
  run(inputs: HostTensor[]): Promise<HostTensor[]>;
  /**
   * Runs and hands each float32 output to `visit` as a view into the runtime's memory, valid only
   * during the call (no copy; for streaming statistics). Runtimes that cannot lend memory omit it.
   */
  runVisit?(inputs: HostTensor[], visit: (index: number, data: Float32Array) => void): Promise<void>;
  dispose(): Promise<void>;
}

export interface LoadOptions {
  /**
   * Where `bytes` came from: named in errors, and the folder ONNX external-data
   * files are resolved against.
   */
  file?: string;
}

export interface Runtime {
  readonly name: string;
  load(bytes: Uint8Array, opts?: LoadOptions): Promise<LoadedModel>;
}
