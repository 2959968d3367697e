/** Constant position lists as SLICE / one-index GATHER pieces (lowering/const-gather.ts): runs and the fit rule. */
import { describe, expect, it } from 'vitest';
import { MAX_GATHER_PIECES, constGatherFits, positionRuns } from '../../../src/convert/onnx/lowering/const-gather.js';

describe('constant gather pieces', () => {
  it('splits positions into runs of consecutive ascending positions', () => {
    expect(positionRuns([2, 0, 1])).toEqual([[2, 1], [0, 2]]);
    expect(positionRuns([0, 1, 2, 3])).toEqual([[0, 4]]);
    expect(positionRuns([3, 3, 4])).toEqual([[3, 1], [3, 2]]);
    expect(positionRuns([5, 4, 3])).toEqual([[5, 1], [4, 1], [3, 1]]);
  });
  it(`fits up to ${MAX_GATHER_PIECES} runs; runs longer than one only on rank ≥ 3 (SLICE is rank 3/4 on the GPU)`, () => {
    expect(constGatherFits(4, [9, 7, 5, 3, 1, 8, 6, 4])).toBe(true);
    expect(constGatherFits(4, [9, 7, 5, 3, 1, 8, 6, 4, 2])).toBe(false);
    expect(constGatherFits(3, [0, 1, 3])).toBe(true);
    expect(constGatherFits(2, [3, 0])).toBe(true);
    expect(constGatherFits(2, [0, 1, 3])).toBe(false);
  });
});
