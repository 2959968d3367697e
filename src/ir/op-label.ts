import type { Node } from './node.js';

/** Op label for histograms and verdicts: builtin name, or CUSTOM:<code>. */
export function opLabel(n: Node): string {
  return n.op === 'CUSTOM' && n.attrs.customCode ? `CUSTOM:${n.attrs.customCode}` : n.op;
}
