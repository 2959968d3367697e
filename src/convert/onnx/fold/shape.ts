/** Shape (start/end, opset 15) and Size of any value whose static shape is known. */
import { numElements } from '../../../ir/tensor.js';
import type { FoldRule } from './types.js';
import { int64s, make } from './values.js';

export const SHAPE_FOLDS: FoldRule[] = [
  {
    onnxOp: 'Shape',
    needs: 'none',
    fold(node, { shapes }) {
      const s = shapes[0]!;
      const r = s.length;
      const clamp = (v: number) => Math.min(Math.max(v < 0 ? v + r : v, 0), r);
      const start = clamp(node.int('start', 0));
      const end = node.has('end') ? clamp(node.int('end', r)) : r;
      return [int64s(s.slice(start, Math.max(start, end)))];
    },
  },
  {
    onnxOp: 'Size',
    needs: 'none',
    fold(_node, { shapes }) {
      return [make('int64', [], [numElements(shapes[0]!)])];
    },
  },
];
