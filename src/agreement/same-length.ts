import { inputError } from '../core/errors.js';

/** Agreement metrics compare flat tensors element by element. */
export function checkSameLength(ref: ArrayLike<number>, cand: ArrayLike<number>, what: string): void {
  if (ref.length !== cand.length) throw inputError('shape-mismatch', `${what}: cannot compare tensors of ${ref.length} and ${cand.length} elements`);
  if (ref.length === 0) throw inputError('unsupported-shape', `${what}: empty tensors`);
}
