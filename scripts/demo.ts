/**
 * `npm run demo`: the main job on the embedded defaults, no phone and no downloads needed.
 * Builds the sample encoder–decoder (a matting-style CNN exported as PyTorch would), converts it
 * to TFLite with a check against onnxruntime, inspects it, validates it, quantizes it (fp16 and
 * int8 calibrated on the bundled photos, with the per-layer error report), validates both variants
 * too (their verdicts shown, a FAIL included) and deploys it to the simulated Kirin 9000, then runs
 * a short nightly of the demo model's fp32 / fp16 / int8 variants on the simulated Kirin 9000 with a
 * few nights of history backfilled first (`mai lab nightly --night`), and prints where the report
 * is. Everything lands in out/demo/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { flushProcessOutput, type Output } from '../src/cli/output.js';
import { runCli } from '../src/cli/run.js';
import { buildEncoderDecoderOnnx } from '../src/samples/encoder-decoder.js';

const dir = join('out', 'demo');
mkdirSync(dir, { recursive: true });

async function step(title: string, argv: string[], allowed: number[] = [0]): Promise<void> {
  process.stdout.write(`\n── ${title}\n$ mai ${argv.join(' ')}\n`);
  const code = await runCli(argv);
  if (!allowed.includes(code)) {
    process.stderr.write(`demo: step "${title}" exited with ${code}\n`);
    await flushProcessOutput();
    process.exit(code);
  }
}

const onnxPath = join(dir, 'encoder-decoder.onnx');
const tflitePath = join(dir, 'encoder-decoder.tflite');
const fp16Path = join(dir, 'encoder-decoder-fp16.tflite');
const int8Path = join(dir, 'encoder-decoder-int8.tflite');
writeFileSync(onnxPath, buildEncoderDecoderOnnx({ size: 256, width: 16, seed: 1 }));
process.stdout.write(`built ${onnxPath} (sample matting encoder–decoder, NCHW, as PyTorch exports it)\n`);

await step('convert ONNX → TFLite for the Kirin 9000 GPU delegate (every op must be delegated), checked against onnxruntime', [
  'convert', onnxPath, '-o', tflitePath, '--target', 'kirin9000', '--check',
]);
await step('inspect the result', ['inspect', tflitePath]);
await step('validate the TFLite candidate against the ONNX reference on the bundled photos (budgets.yaml)', [
  'validate', '--reference', onnxPath, '--candidate', tflitePath, '--data', join('data', 'samples', 'matting'),
  '--task', 'matting', '--budgets', 'budgets.yaml', '--html', join(dir, 'validate.html'),
]);
await step('quantize to fp16 (float16 weights, DEQUANTIZE feeding the consumers)', [
  'quantize', tflitePath, '-o', fp16Path, '--mode', 'fp16', '--calib', join('data', 'samples', 'matting'), '--layers', '5',
]);
await step('quantize to int8, calibrated on the bundled photos; per-layer error on the held-out photo, worst first', [
  'quantize', tflitePath, '-o', int8Path, '--mode', 'int8', '--calib', join('data', 'samples', 'matting'),
  '--report', join(dir, 'quantize-int8.json'), '--layers', '8',
]);
for (const [label, path] of [['fp16', fp16Path], ['int8', int8Path]] as const) {
  // a FAIL (exit 1) is a finding to show, not a broken demo: the int8 report above names the layers that lose the most
  await step(`validate the ${label} variant against the same ONNX reference and budgets`, [
    'validate', '--reference', onnxPath, '--candidate', path, '--data', join('data', 'samples', 'matting'),
    '--task', 'matting', '--budgets', 'budgets.yaml', '--html', join(dir, `validate-${label}.html`),
  ], [0, 1]);
}
const nchwPath = join(dir, 'encoder-decoder-nchw-io.tflite');
await step('a second variant: NCHW model I/O kept (one TRANSPOSE at each end)', ['convert', onnxPath, '-o', nchwPath, '--keep-io-layout']);
await step('deploy the float, fp16, int8 and NCHW-I/O variants to the simulated Kirin 9000 (GPU delegate, benchmark_model)', [
  'deploy', tflitePath, fp16Path, int8Path, nchwPath, '--device', 'kirin9000', '--budgets', 'budgets.yaml', '--runs', '30',
]);

// The nightly: lab.yaml next to the demo model, history backfilled quietly for five nights, then tonight.
const labDir = join(dir, 'lab');
mkdirSync(labDir, { recursive: true });
writeFileSync(
  join(dir, 'lab.yaml'),
  [
    'version: 1',
    'models:',
    '  - { name: encoder-decoder, path: encoder-decoder.onnx, task: matting }',
    'precisions: [fp32, fp16, int8]',
    'devices: [kirin9000]',
    'runs: 3',
    'validateSamples: 2',
    'budgets: ../../budgets.yaml',
    '',
  ].join('\n'),
);
const day = (back: number) => new Date(Date.now() - back * 86_400_000).toISOString().slice(0, 10);
const labArgs = (night: string) => ['lab', 'nightly', '--config', join(dir, 'lab.yaml'), '--night', night, '--out', join(labDir, night), '--db', join(labDir, 'results.db')];
const quiet: Output = { out: () => {}, err: () => {}, isTTY: false };
process.stdout.write('\n── backfill five nights of nightly history (quietly)\n');
for (let back = 5; back >= 1; back--) {
  const code = await runCli(labArgs(day(back)), quiet);
  process.stdout.write(`  ${day(back)}: exit ${code}\n`);
}
await step('tonight\'s nightly: convert, quantize, validate, benchmark every variant; compare with the backfilled history; HTML report', labArgs(day(0)), [0, 1]);
process.stdout.write(`\nnightly report: ${join(labDir, day(0), 'index.html')} (open it in a browser; every number in it is SIMULATED)\n`);
await flushProcessOutput();
process.exit(0);
