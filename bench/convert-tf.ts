/**
 * TF frontend cost: the same chain of N Conv2D / Relu nodes as a TensorFlow.js graph model and as ONNX,
 * converted in this process. Prints time(TF) ÷ time(ONNX) at N = 1000 (the TF path adds JSON parsing,
 * graph ordering, pattern folds and the value mapping onto the shared lowering) and the TF scaling
 * time(4000) ÷ time(1000) (≈ 4 when linear, as for the ONNX chain in convert-many-nodes.ts).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { convert } from '../src/convert/index.js';
import { OnnxGraphBuilder } from '../src/samples/onnx-model.js';

const s = (v: string) => ({ s: Buffer.from(v).toString('base64') });
const list = (v: number[]) => ({ list: { i: v.map(String) } });

function tfjsChain(dir: string, n: number): { file: string; bytes: Uint8Array } {
  const nodes: object[] = [
    { name: 'x', op: 'Placeholder', attr: { dtype: { type: 'DT_FLOAT' }, shape: { shape: { dim: [1, 16, 16, 8].map((d) => ({ size: String(d) })) } } } },
    { name: 'w', op: 'Const', attr: { dtype: { type: 'DT_FLOAT' } } },
  ];
  let x = 'x';
  for (let i = 0; i < n; i++) {
    const name = `n${i}`;
    nodes.push(i % 2 ? { name, op: 'Relu', input: [x], attr: { T: { type: 'DT_FLOAT' } } } : { name, op: 'Conv2D', input: [x, 'w'], attr: { T: { type: 'DT_FLOAT' }, strides: list([1, 1, 1, 1]), padding: s('VALID'), data_format: s('NHWC') } });
    x = name;
  }
  writeFileSync(join(dir, 'w.bin'), Buffer.from(new Float32Array(64).fill(0.01).buffer));
  const json = JSON.stringify({ format: 'graph-model', modelTopology: { node: nodes }, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [1, 1, 8, 8], dtype: 'float32' }] }] });
  const file = join(dir, `chain${n}.json`);
  writeFileSync(file, json);
  return { file, bytes: new Uint8Array(Buffer.from(json)) };
}

function onnxChain(n: number): Uint8Array {
  const b = new OnnxGraphBuilder();
  let x = b.input('x', [1, 8, 16, 16]);
  const w = b.init('w', [8, 8, 1, 1], new Float32Array(64).fill(0.01));
  for (let i = 0; i < n; i++) x = i % 2 ? b.node('Relu', [x]) : b.node('Conv', [x, w]);
  b.output(x, [1, 8, 16, 16]);
  return b.build();
}

function timeMs(bytes: Uint8Array, file: string, repeats = 3): number {
  const times: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t = performance.now();
    convert({ bytes, file, verifyPasses: false });
    times.push(performance.now() - t);
  }
  return times.sort((a, b) => a - b)[Math.floor(repeats / 2)]!;
}

export function runTfConvertBench() {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-tf-'));
  try {
    const tf1 = tfjsChain(dir, 1000);
    const tf4 = tfjsChain(dir, 4000);
    const onnx = onnxChain(1000);
    timeMs(tf1.bytes, tf1.file, 2); // warm-up
    timeMs(onnx, 'chain.onnx', 2);
    const tTf = timeMs(tf1.bytes, tf1.file);
    const tOnnx = timeMs(onnx, 'chain.onnx');
    const tTf4 = timeMs(tf4.bytes, tf4.file);
    const result = { name: 'convert-tf-frontend', nodes: 1000, msTf: +tTf.toFixed(1), msOnnx: +tOnnx.toFixed(1), tfOverOnnx: +(tTf / tOnnx).toFixed(2), msTf4000: +tTf4.toFixed(1), tfScaling: +(tTf4 / tTf).toFixed(2), linearWouldBe: 4 };
    process.stderr.write(`TF vs ONNX 1000-node chain: ${result.msTf} ms vs ${result.msOnnx} ms → ×${result.tfOverOnnx}; TF 4000 nodes ${result.msTf4000} ms → ×${result.tfScaling} for ×4 nodes\n`);
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
