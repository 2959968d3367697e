/**
 * A GATHER of constant positions without a constant multi-index GATHER, which the GPU delegate cannot
 * build (gpu.gather-const-indices; one constant index or run-time indices are fine): the positions split
 * into runs of consecutive ascending positions, one SLICE per run (a one-index GATHER for a run of one on
 * tensors of rank < 3, where SLICE is not delegated), joined by one CONCATENATION along the axis.
 * `x[:, [2, 0, 1]]` (BGR → RGB) becomes three one-channel pieces and a CONCATENATION.
 */
import type { ImportContext } from '../context.js';

/** More runs than this keep the one GATHER (CPU): too many ops for a GPU detour. */
export const MAX_GATHER_PIECES = 8;

/** Runs of consecutive ascending positions, as [start, length]. */
export function positionRuns(positions: readonly number[]): Array<[number, number]> {
  const runs: Array<[number, number]> = [];
  for (const p of positions) {
    const last = runs[runs.length - 1];
    if (last && p === last[0] + last[1]) last[1]++;
    else runs.push([p, 1]);
  }
  return runs;
}

/** The pieces fit: at most MAX_GATHER_PIECES runs, and runs of one only on tensors of rank < 3. */
export function constGatherFits(rank: number, positions: readonly number[]): boolean {
  const runs = positionRuns(positions);
  return runs.length <= MAX_GATHER_PIECES && (rank >= 3 || runs.every(([, n]) => n === 1));
}

/**
 * Emits IR tensor `out` = IR tensor `x` at `positions` along IR axis `axis` as SLICE / one-index GATHER
 * pieces and a CONCATENATION; false (nothing emitted) when they do not fit (constGatherFits).
 */
export function emitConstGather(ctx: ImportContext, x: string, axis: number, positions: readonly number[], out: string): boolean {
  const xs = ctx.irShape(x);
  if (!constGatherFits(xs.length, positions)) return false;
  const runs = positionRuns(positions);
  const { dtype, layout } = ctx.g.tensor(x);
  const pieces = runs.map(([start, n], k) => {
    const shape = xs.map((d, i) => (i === axis ? n : d));
    const t = runs.length === 1 ? out : ctx.newTensor(`${out}_piece${k}`, dtype, shape, layout);
    if (n === 1 && xs.length < 3) ctx.emit('GATHER', [x, ctx.int32Const(`${t}_index`, [start])], [t], { axis, batchDims: 0 });
    else ctx.emit('SLICE', [x, ctx.int32Const(`${t}_begin`, xs.map((_, i) => (i === axis ? start : 0))), ctx.int32Const(`${t}_size`, shape)], [t]);
    return t;
  });
  if (pieces.length > 1) ctx.emit('CONCATENATION', pieces, [out], { axis, activation: 'NONE' });
  return true;
}
