/**
 * Property test: seeded random graphs made of the patterns the importer emits
 * (conv / depthwise / FC, per-channel MUL/ADD, RELU family, transpose pairs,
 * identity reshapes, constant subgraphs, residual ADDs, dead branches, attention scores) run
 * through the default pipeline; LiteRT gives the same outputs before and after.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runPasses } from '../../../src/convert/passes/manager.js';
import { ALL_PASSES, DEFAULT_PIPELINE } from '../../../src/convert/passes/registry.js';
import { seededRandom } from '../../../src/core/random.js';
import { verify } from '../../../src/ir/verify.js';
import { IrBuilder, cloneGraph } from '../../helpers/ir-builder.js';
import { expectSameInLiteRt } from '../../helpers/tflite-oracle.js';
import { ORACLE } from './pass-harness.js';

function randomGraph(seed: number) {
  const r = seededRandom(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(r() * xs.length)]!;
  const b = new IrBuilder(seed);
  let x = b.input('x', [1, 6, 6, 4]);
  let c = 4;
  const skips: string[] = [];
  const steps = 4 + Math.floor(r() * 5);
  for (let s = 0; s < steps; s++) {
    switch (pick(['conv', 'dw', 'bn', 'act', 'transposes', 'reshape', 'constchain', 'residual', 'dead', 'squeeze', 'fived', 'shuffle', 'broadcast', 'chshuffle', 'bcast2d'] as const)) {
      case 'conv': c = pick([3, 4, 8]); x = b.conv2d(x, { out: c, k: pick([1, 3]) }); skips.push(x); break;
      case 'dw': x = b.depthwise(x); skips.push(x); break;
      case 'bn': {
        const scale = b.const(undefined, pick([[c], [1, 1, 1, c]]), undefined, { std: 0.3 });
        x = b.binary('ADD', b.binary('MUL', x, scale), b.const(undefined, [c]), pick([{}, { activation: 'RELU' as const }]));
        break;
      }
      case 'act': x = b.unary(pick(['RELU', 'RELU6', 'RELU_N1_TO_1', 'TANH'] as const), x); break;
      case 'transposes': x = b.transpose(b.transpose(x, [0, 3, 1, 2]), pick([[0, 2, 3, 1], [0, 3, 2, 1]])); x = b.transpose(x, b.shape(x)[3] === c ? [0, 1, 2, 3] : [0, 3, 2, 1]); break;
      case 'reshape': x = b.reshape(x, [...b.shape(x)]); break;
      case 'constchain': {
        const k = b.binary('MUL', b.transpose(b.const(undefined, [1, c, 1, 1]), [0, 2, 3, 1]), b.const(undefined, [1], [2]));
        x = b.binary('ADD', x, k);
        break;
      }
      case 'residual': {
        const same = skips.filter((t) => b.shape(t).join() === b.shape(x).join() && t !== x);
        if (same.length) x = b.binary('ADD', x, pick(same));
        break;
      }
      case 'dead': b.unary('LOGISTIC', x); break;
      // patterns the GPU rewrites (squeeze-to-reshape, lower-rank-elementwise, depth-to-space-from-shuffle, fold-broadcast-to) take
      case 'squeeze': x = b.op('SQUEEZE', [b.op('EXPAND_DIMS', [x, b.ints([0])], [1, ...b.shape(x)])], b.shape(x), { squeezeDims: [0] }); break;
      case 'fived': {
        const s4 = b.shape(x);
        x = b.reshape(b.unary('TANH', b.reshape(x, [...s4, 1])), s4);
        break;
      }
      case 'shuffle': {
        const [n, h, w] = b.shape(x) as [number, number, number, number];
        if (h > 12 || w > 12) break;
        x = b.conv2d(x, { out: 8, k: 1 });
        const six = b.reshape(b.transpose(x, [0, 3, 1, 2]), [n, 2, 2, 2, h, w]);
        x = b.transpose(b.reshape(b.transpose(six, [0, 1, 4, 2, 5, 3]), [n, 2, 2 * h, 2 * w]), [0, 2, 3, 1]);
        c = 2;
        break;
      }
      case 'chshuffle': {
        if (s % 2) {
          // ShuffleNet v2's unit end: two branches concatenated, then the shuffle (channel-shuffle-to-concat)
          const [n, h, w] = b.shape(x) as [number, number, number, number];
          const cat = b.op('CONCATENATION', [b.conv2d(x, { out: 2, k: 1 }), b.conv2d(x, { out: 2, k: 1 })], [n, h, w, 4], { axis: 3, activation: 'NONE' });
          x = b.reshape(b.transpose(b.reshape(cat, [n, h, w, 2, 2]), [0, 1, 2, 4, 3]), [n, h, w, 4]);
          c = 4;
          break;
        }
        // ShuffleNet's channel shuffle in NHWC: a 5-D view, two inner axes swapped (sink-transposes lowers its rank)
        const s4 = b.shape(x) as [number, number, number, number];
        if (s4[3] % 2) break;
        const five = b.transpose(b.reshape(x, [s4[0], s4[1], s4[2], 2, s4[3] / 2]), [0, 1, 2, 4, 3]);
        x = b.reshape(five, s4);
        break;
      }
      case 'bcast2d': {
        // a [W,C] constant added to [N,H,W,C]: ranks 4 vs 2 outside the delegate's exceptions (align-broadcast-ranks)
        const s4 = b.shape(x);
        x = b.binary('ADD', x, b.const(undefined, [s4[2]!, s4[3]!], undefined, { std: 0.3 }));
        break;
      }
      case 'broadcast': {
        const bt = b.op('BROADCAST_TO', [x, b.ints(b.shape(x))], b.shape(x));
        b.graph.nodes[b.graph.nodes.length - 1]!.version = 2; // TFLite's BROADCAST_TO starts at version 2
        x = b.binary('ADD', x, bt);
        break;
      }
    }
  }
  if (seed % 4 === 0) {
    // squeeze-excitation written in NCHW: MEAN → [1,C,1,1] → TILE over H, W → TRANSPOSE to NHWC → MUL
    // (hoist-transposes-over-ops turns the TRANSPOSE into a RESHAPE of the [1,C,1,1] vector)
    const [n, h, w, ch] = b.shape(x) as [number, number, number, number];
    const v = b.reshape(b.op('MEAN', [x, b.ints([1, 2])], [n, 1, 1, ch], { keepDims: true }), [n, ch, 1, 1]);
    const tiled = b.op('TILE', [b.unary('LOGISTIC', v), b.ints([1, 1, h, w])], [n, ch, h, w]);
    x = b.binary('MUL', x, b.transpose(tiled, [0, 2, 3, 1]));
  }
  if (seed % 5 === 0) {
    // attention scores x·xᵀ over the last two axes, xᵀ a TRANSPOSE (fold-transpose-into-batch-matmul takes it as adjY)
    const [n, h, w] = b.shape(x) as [number, number, number, number];
    x = b.op('BATCH_MATMUL', [x, b.transpose(b.unary('TANH', x), [0, 1, 3, 2])], [n, h, w, w], { adjX: false, adjY: false });
  }
  b.output(b.unary('LOGISTIC', x));
  return b.graph;
}

describe('default pipeline on random graphs', () => {
  it('every pass file is registered (one pass = one file + one registry line)', () => {
    const dir = join(import.meta.dirname, '../../../src/convert/passes');
    const support = new Set(['pass.ts', 'manager.ts', 'registry.ts', 'graph-util.ts']);
    const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !support.has(f)).map((f) => f.replace(/\.ts$/, ''));
    expect(files.sort()).toEqual(ALL_PASSES.map((p) => p.id).sort());
  });

  it('keeps 30 random graphs valid, and every pass applies somewhere', () => {
    const applied = new Set<string>();
    for (let seed = 1; seed <= 30; seed++) {
      const g = randomGraph(seed);
      expect(verify(g), `seed ${seed} before`).toEqual([]);
      const reports = runPasses(g, DEFAULT_PIPELINE, { verify: true });
      expect(reports.filter((r) => r.status === 'invalid'), `seed ${seed}`).toEqual([]);
      // a pass that runs others (sink-transposes) reports theirs as steps
      for (const r of reports) for (const step of [r, ...(r.steps ?? [])]) if (step.status === 'applied') applied.add(step.id);
    }
    // never has work here: copy-passthrough-outputs (outputs are always computed), keep-half-weights
    // (the random graphs are float32, not fp16 sources; tests/convert/passes/keep-half-weights.test.ts),
    // cut-before-transpose / lower-rank-slices (rank-5 attention cuts add nodes; their own tests)
    const idle = new Set(['copy-passthrough-outputs', 'keep-half-weights', 'cut-before-transpose', 'lower-rank-slices']);
    expect([...applied].sort()).toEqual(ALL_PASSES.map((p) => p.id).filter((id) => !idle.has(id)).sort());
  });

  describe(ORACLE, () => {
    for (let seed = 1; seed <= 30; seed++) {
      it(`random graph ${seed}`, async () => {
        const g = randomGraph(seed);
        const before = cloneGraph(g);
        runPasses(g, DEFAULT_PIPELINE, { verify: true });
        expect(g.nodes.length).toBeLessThanOrEqual(before.nodes.length);
        await expectSameInLiteRt(before, g, seed, 1e-5);
      });
    }
  });
});
