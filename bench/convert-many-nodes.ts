/**
 * Scaling of conversion with graph size: a chain of N Conv/Relu nodes (tiny weights), converted
 * (as `mai convert` does, passes verified) at N = 1000 and N = 8000 in this process, interleaved,
 * median of 5. Prints time(8000) ÷ time(1000): ≈ 8 when the passes are linear in the node count,
 * ≈ 64 if something is quadratic. Aim ≤ 10.
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

function timeMs(bytes: Uint8Array): number {
  const t = performance.now();
  convert({ bytes, file: 'chain.onnx' });
  return performance.now() - t;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

export function runManyNodesBench(repeats = 5) {
  const small = chain(1000);
  const large = chain(8000);
  timeMs(small); // warm-up
  timeMs(small);
  // interleaved, so that load from elsewhere on the machine hits both sizes alike
  const s1: number[] = [];
  const s8: number[] = [];
  for (let i = 0; i < repeats; i++) {
    s1.push(timeMs(small));
    s8.push(timeMs(large));
  }
  const t1 = median(s1);
  const t8 = median(s8);
  const result = { name: 'convert-node-scaling', nodesSmall: 1000, nodesLarge: 8000, msSmall: +t1.toFixed(1), msLarge: +t8.toFixed(1), scaling: +(t8 / t1).toFixed(2), linearWouldBe: 8, aim: 10 };
  process.stderr.write(`convert a 1000- vs 8000-node chain: ${result.msSmall} ms vs ${result.msLarge} ms → ×${result.scaling} for ×8 nodes (linear ≈ 8, quadratic ≈ 64; aim ≤ 10)\n`);
  return result;
}
