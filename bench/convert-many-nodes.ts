/**
 * Scaling of conversion with graph size: a chain of N Conv/Relu nodes (tiny weights), converted
 * at N = 1000 and N = 4000 in this process. Prints time(4000) ÷ time(1000): ≈ 4 when the
 * passes are linear in the node count, ≈ 16 if something is quadratic. Measured ×24.5 (3.3 s at
 * 4000 nodes) while passes rebuilt whole-graph producer/consumer maps per node; ×5–8 (≈0.3 s)
 * with per-tensor scans — still a linear scan per query, so not fully linear.
 */
import { OnnxGraphBuilder } from '../src/samples/onnx-model.js';
import { convert } from '../src/convert/index.js';

function chain(n: number): Uint8Array {
  const b = new OnnxGraphBuilder();
  let x = b.input('x', [1, 8, 16, 16]);
  const w = b.init('w', [8, 8, 1, 1], new Float32Array(64).fill(0.01));
  const bias = b.init('bias', [8], new Float32Array(8));
  for (let i = 0; i < n; i++) x = i % 2 ? b.node('Relu', [x]) : b.node('Conv', [x, w, bias]);
  b.output(x, [1, 8, 16, 16]);
  return b.build();
}

function timeMs(bytes: Uint8Array, repeats = 3): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    convert({ bytes, file: 'chain.onnx', verifyPasses: false });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

export function runManyNodesBench() {
  const small = chain(1000);
  const large = chain(4000);
  timeMs(small, 2); // warm-up
  const t1 = timeMs(small);
  const t4 = timeMs(large);
  const result = { name: 'convert-node-scaling', nodesSmall: 1000, nodesLarge: 4000, msSmall: +t1.toFixed(1), msLarge: +t4.toFixed(1), scaling: +(t4 / t1).toFixed(2), linearWouldBe: 4 };
  process.stderr.write(`convert a 1000- vs 4000-node chain: ${result.msSmall} ms vs ${result.msLarge} ms → ×${result.scaling} for ×4 nodes (linear ≈ 4, quadratic ≈ 16)\n`);
  return result;
}
