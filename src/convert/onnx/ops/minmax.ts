/** Min / Max (variadic, numpy broadcasting) → a chain of MINIMUM / MAXIMUM; one input is the input itself. */
import type { ImportContext } from '../context.js';
import type { OnnxNode } from '../node.js';
import { emitBinary } from './binary.js';

export function minMax(op: 'MINIMUM' | 'MAXIMUM') {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const ins = node.inputs.filter((i) => i !== '');
    const outName = node.outputs[0]!;
    if (ins.length === 0) ctx.fail('invalid-model', `${node.opType} has no inputs`);
    if (ins.length === 1) return ctx.alias(outName, ins[0]!);
    let acc = ins[0]!;
    for (let k = 1; k < ins.length; k++) {
      const out = k === ins.length - 1 ? outName : `${node.name}__${op.toLowerCase()}_${k}`;
      emitBinary(ctx, op, acc, ins[k]!, out);
      acc = out;
    }
  };
}
