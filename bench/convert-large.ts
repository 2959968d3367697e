/**
 * Conversion of a generated ONNX model with ≥ 64 MiB of float32 weights, run as a user runs it:
 * `mai convert` from dist/ in its own process, against a Node process that reads the same file and
 * writes a copy (the least any conversion must do), median of 3, interleaved.
 *   time ratio   = convert process ÷ read+write process          (aim ≤ 3)
 *   memory ratio = (peak RSS − idle Node RSS) ÷ file size          (aim ≤ 2)
 * Idle Node RSS is the peak of a bare `node -e ""`. Outputs are removed before each run, so no
 * run pays for unlinking the previous one.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildLargeOnnx } from '../src/samples/large-model.js';
import { DIST_MAIN, ensureDist } from '../scripts/dist.js';
import { median, runNode, type ProcessRun } from './process.js';

export function runConvertBench(weightsMB = 64, repeats = 3) {
  ensureDist();
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-'));
  try {
    const file = join(dir, 'large.onnx');
    const bytes = buildLargeOnnx({ weightsMB });
    writeFileSync(file, bytes);
    const out = join(dir, 'out.tflite');
    const copy = join(dir, 'copy.onnx');
    const copyArgs = ['-e', `const fs = require('node:fs'); fs.writeFileSync(${JSON.stringify(copy)}, fs.readFileSync(${JSON.stringify(file)}))`];
    const convertArgs = [DIST_MAIN, 'convert', file, '-o', out, '--json'];
    const clean = () => {
      rmSync(out, { force: true });
      rmSync(copy, { force: true });
    };
    const idle: ProcessRun[] = [];
    const io: ProcessRun[] = [];
    const conv: ProcessRun[] = [];
    runNode(copyArgs); // warm the page cache with the file
    for (let i = 0; i < repeats; i++) {
      idle.push(runNode(['-e', ''], { rss: true }));
      clean();
      io.push(runNode(copyArgs, { rss: true }));
      clean();
      conv.push(runNode(convertArgs, { rss: true }));
    }
    const ms = (rs: ProcessRun[]) => median(rs.map((r) => r.ms));
    const rss = (rs: ProcessRun[]) => median(rs.map((r) => r.peakRss));
    const mb = (n: number) => +(n / 2 ** 20).toFixed(1);
    const result = {
      name: 'convert-large-onnx',
      fileMB: mb(bytes.byteLength),
      readWriteMs: +ms(io).toFixed(1),
      convertMs: +ms(conv).toFixed(1),
      timeRatio: +(ms(conv) / ms(io)).toFixed(2),
      idleRssMB: mb(rss(idle)),
      readWritePeakRssMB: mb(rss(io)),
      convertPeakRssMB: mb(rss(conv)),
      memoryRatio: +(rss(conv) / bytes.byteLength).toFixed(2),
      memoryRatioAboveIdle: +((rss(conv) - rss(idle)) / bytes.byteLength).toFixed(2),
      aim: { timeRatio: 3, memoryRatioAboveIdle: 2 },
    };
    process.stderr.write(
      `mai convert ${result.fileMB} MB ONNX: ${result.convertMs} ms vs read+write of the file ${result.readWriteMs} ms → ×${result.timeRatio} (aim ≤ 3); ` +
        `peak RSS ${result.convertPeakRssMB} MB = ${result.memoryRatio}× the file, ${result.memoryRatioAboveIdle}× above idle Node (${result.idleRssMB} MB) (aim ≤ 2)\n`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
