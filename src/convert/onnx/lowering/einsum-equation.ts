/**
 * Parses an ONNX Einsum equation for operands of known ranks into one label list per operand and the
 * output's. Labels are letters; an ellipsis stands for the operand's remaining dims, numbered from the
 * right ('…0' is the innermost) so that operands with fewer of them align as numpy broadcasting does.
 * Without '->' the output is the ellipsis dims followed by the letters used once, in alphabetical order.
 * Returns a message when the equation is malformed for those ranks.
 */
export interface EinsumSpec {
  inputs: string[][];
  output: string[];
}

/** Labels of one term: letters, plus '…k' labels for its ellipsis (`ellipsisRank` of them). */
function termLabels(term: string, ellipsisRank: number): string[] {
  const [head, tail = ''] = term.split('...');
  const dots = Array.from({ length: ellipsisRank }, (_, i) => `…${ellipsisRank - 1 - i}`);
  return term.includes('...') ? [...head!, ...dots, ...tail] : [...term];
}

export function parseEinsum(equation: string, ranks: readonly number[]): EinsumSpec | string {
  const eq = equation.replace(/\s+/g, '');
  const [lhs, rhs, extra] = eq.split('->');
  if (extra !== undefined || lhs === undefined) return `'${equation}' has more than one '->'`;
  const terms = lhs.split(',');
  if (terms.length !== ranks.length) return `'${equation}' has ${terms.length} operand term(s) for ${ranks.length} input(s)`;
  const bad = [...terms, rhs ?? ''].find((t) => !/^[a-zA-Z]*(\.\.\.)?[a-zA-Z]*$/.test(t));
  if (bad !== undefined) return `'${equation}': term '${bad}' is not letters with at most one '...'`;
  const ellipsisRanks = terms.map((t, i) => (t.includes('...') ? ranks[i]! - (t.length - 3) : 0));
  const wrong = terms.findIndex((t, i) => (t.includes('...') ? ellipsisRanks[i]! < 0 : t.length !== ranks[i]));
  if (wrong >= 0) return `'${equation}': term '${terms[wrong]}' does not match input ${wrong} of rank ${ranks[wrong]}`;
  const inputs = terms.map((t, i) => termLabels(t, ellipsisRanks[i]!));
  const maxEllipsis = Math.max(0, ...ellipsisRanks);
  if (rhs !== undefined) {
    if (rhs.includes('...') && !terms.some((t) => t.includes('...'))) return `'${equation}': the output has '...' but no operand does`;
    const output = termLabels(rhs, maxEllipsis);
    const all = new Set(inputs.flat());
    const missing = output.find((l) => !all.has(l));
    if (missing) return `'${equation}': output label '${missing}' is in no operand`;
    if (new Set(output).size !== output.length) return `'${equation}': an output label repeats`;
    if (!rhs.includes('...') && maxEllipsis > 0) {
      // numpy sums an ellipsis left out of an explicit output; ONNX leaves it to the runtime: refused
      return `'${equation}': the operands' '...' dims are not in the output`;
    }
    return { inputs, output };
  }
  const count = new Map<string, number>();
  for (const l of inputs.flat()) if (!l.startsWith('…')) count.set(l, (count.get(l) ?? 0) + 1);
  const once = [...count].filter(([, n]) => n === 1).map(([l]) => l).sort();
  return { inputs, output: [...termLabels('...', maxEllipsis), ...once] };
}
