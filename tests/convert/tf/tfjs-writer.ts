/** Writes a small TensorFlow.js graph model (model.json + one shard) from nodes and float32 / int32 weights, for hand-built test graphs. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestWeight {
  name: string;
  shape: number[];
  data: Float32Array | Int32Array;
}

type Attr = Record<string, unknown>;
export const s = (v: string) => ({ s: Buffer.from(v).toString('base64') });
export const ints = (v: number[]) => ({ list: { i: v.map(String) } });
export const dt = (v = 'DT_FLOAT') => ({ type: v });
export const shape = (dims: number[]) => ({ shape: { dim: dims.map((d) => ({ size: String(d) })) } });

export function node(name: string, op: string, input: string[] = [], attr: Attr = {}) {
  return { name, op, input, attr: { T: dt(), ...attr } };
}

/** Writes `dir`/model.json and its shard; returns the model.json path. */
export function writeTfjsModel(dir: string, nodes: object[], weights: TestWeight[]): string {
  mkdirSync(dir, { recursive: true });
  const bytes = Buffer.concat(weights.map((w) => Buffer.from(w.data.buffer, w.data.byteOffset, w.data.byteLength)));
  writeFileSync(join(dir, 'weights.bin'), bytes);
  const json = {
    format: 'graph-model',
    modelTopology: { node: nodes, versions: { producer: 1 } },
    weightsManifest: [{ paths: ['weights.bin'], weights: weights.map((w) => ({ name: w.name, shape: w.shape, dtype: w.data instanceof Int32Array ? 'int32' : 'float32' })) }],
  };
  const file = join(dir, 'model.json');
  writeFileSync(file, JSON.stringify(json));
  return file;
}
