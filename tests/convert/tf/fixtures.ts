/** The TF fixtures made by scripts/tf/make_fixtures.py: each model in three formats, TensorFlow's inputs and outputs. */
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { parseNpy } from '../../../src/quantize/calib-data/npy.js';

export const FIXTURES = join(import.meta.dirname, '..', '..', 'fixtures', 'tf');

export const FORMATS = [
  { format: 'tfjs', path: 'tfjs/model.json' },
  { format: 'graphdef', path: 'frozen.pb' },
  { format: 'saved-model', path: 'saved_model' },
] as const;

export interface Manifest {
  name: string;
  inputs: { frozen: string[]; signature: string[]; shapes: number[][] };
  outputs: { frozen: string[]; signature: string[] };
  peer: { bytes?: number; ops?: Record<string, number>; error?: string };
}

export function fixtureNames(): string[] {
  return readdirSync(FIXTURES).filter((d) => existsSync(join(FIXTURES, d, 'manifest.json'))).sort();
}

export function manifest(name: string): Manifest {
  return JSON.parse(readFileSync(join(FIXTURES, name, 'manifest.json'), 'utf8')) as Manifest;
}

/** TensorFlow's recorded input / output `i` of a fixture. */
export function reference(name: string, kind: 'input' | 'output', i: number): { shape: number[]; data: Float32Array } {
  const file = join(FIXTURES, name, 'reference', `${kind}_${i}.npy`);
  const a = parseNpy(new Uint8Array(readFileSync(file)), file);
  return { shape: a.shape, data: Float32Array.from(a.data as ArrayLike<number>, Number) };
}
