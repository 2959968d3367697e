/** Shared steps of the pass tests: run one pass on a copy, check verify(), and the LiteRT oracle. */
import { expect } from 'vitest';
import type { Graph } from '../../../src/ir/graph.js';
import { verify } from '../../../src/ir/verify.js';
import type { Pass, PassResult } from '../../../src/convert/passes/pass.js';
import { cloneGraph } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt, loadWriter } from '../../helpers/tflite-oracle.js';

export const writer = await loadWriter();
/** Title suffix for the oracle tests, which skip (saying why) until src/tflite/writer.ts exists. */
export const ORACLE = writer ? 'LiteRT: same outputs before and after' : 'LiteRT oracle SKIPPED: src/tflite/writer.ts (writeTflite) not available';

export interface Applied {
  before: Graph;
  after: Graph;
  result: PassResult;
}

/** Runs `pass` on a copy of `g`; the input graph must be valid and so must the result. */
export function runPass(pass: Pass, g: Graph): Applied {
  expect(verify(g)).toEqual([]);
  const after = cloneGraph(g);
  const result = pass.run(after);
  expect(verify(after), `verify() after ${pass.id}`).toEqual([]);
  return { before: g, after, result };
}

export async function oracle(a: Applied, seed = 1): Promise<number> {
  return expectSameInLiteRt(a.before, a.after, seed, 1e-5);
}
