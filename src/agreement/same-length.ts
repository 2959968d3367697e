/** Agreement metrics compare flat tensors element by element. */
export function checkSameLength(ref: ArrayLike<number>, cand: ArrayLike<number>, what: string): void {
  if (ref.length !== cand.length) throw new Error(`${what}: cannot compare tensors of ${ref.length} and ${cand.length} elements`);
  if (ref.length === 0) throw new Error(`${what}: empty tensors`);
}
