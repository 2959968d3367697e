/** Shared steps of the pass tests: run one pass on a copy, check verify(), and the LiteRT oracle. */
import { expect } from 'vitest';
import type { Graph } from '../../../src/ir/graph.js';
import { verify } from '../../../src/ir/verify.js';
import type { Pass, PassResult } from '../../../src/convert/passes/pass.js';
import { cloneGraph } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';

/** Title of the oracle tests: the graph before and after a pass, both run in LiteRT. */
export const ORACLE = 'LiteRT: same outputs before and after';

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
