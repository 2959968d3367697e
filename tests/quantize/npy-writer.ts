/** A float32 .npy (format 1.0) written byte by byte per the spec, for tests. */
export function npyF32(shape: number[], values: ArrayLike<number>): Uint8Array {
  let h = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  while ((10 + h.length + 1) % 64 !== 0) h += ' ';
  h += '\n';
  const head = Uint8Array.from([0x93, ...Buffer.from('NUMPY'), 1, 0, h.length & 0xff, h.length >> 8, ...Buffer.from(h, 'latin1')]);
  const out = new Uint8Array(head.length + values.length * 4);
  out.set(head);
  const view = new DataView(out.buffer);
  for (let i = 0; i < values.length; i++) view.setFloat32(head.length + i * 4, values[i]!, true);
  return out;
}
