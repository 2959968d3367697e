/**
 * Mish written out, x · Tanh(Softplus(x)) (PyTorch's nn.Mish exported below opset 18, YOLOv4-style
 * nets) → one Mish node: ops/softplus.ts computes it without TANH, whose kernels are accurate only to
 * ~1e−7 absolute (a 3e−3 relative error where softplus is small). Softplus and Tanh must feed only
 * the next node of the form.
 */
import { GraphView, isOp, otherInput } from './graph-view.js';
import { fusedNode, type Pattern, type PatternMatch } from './pattern.js';

export const mishFromSoftplusTanh: Pattern = {
  name: 'Mish (x · tanh(softplus(x)))',
  match(view: GraphView, s: number): PatternMatch | undefined {
    const sp = view.nodes[s];
    if (!isOp(sp, 'Softplus')) return undefined;
    const x = sp.input?.[0];
    const ti = view.soleConsumer(sp.output?.[0] ?? '');
    const tanh = ti === undefined ? undefined : view.nodes[ti];
    if (!x || !isOp(tanh, 'Tanh')) return undefined;
    const t = tanh.output![0]!;
    const mi = view.soleConsumer(t);
    const mul = mi === undefined ? undefined : view.nodes[mi];
    if (!isOp(mul, 'Mul') || otherInput(mul, t) !== x) return undefined;
    const replacement = fusedNode(`${mul.name || sp.name || 'Softplus'}_mish`, 'Mish', x, mul.output![0]!, 'x · tanh(softplus(x))');
    return { remove: [s, ti!, mi!], replacement };
  },
};
