/**
 * Child process of the conversion benchmark: measures peak RSS of one conversion in isolation.
 * argv: <model.onnx> <mode: decode|convert>. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { convert } from '../src/convert/index.js';

const [file, mode] = process.argv.slice(2) as [string, 'decode' | 'convert'];
const idleRss = process.memoryUsage().rss;
const bytes = new Uint8Array(readFileSync(file));
const t0 = performance.now();
let outBytes = 0;
if (mode === 'decode') {
  const m = onnxProto.onnx.ModelProto.decode(bytes);
  outBytes = m.graph?.initializer?.length ?? 0;
} else {
  outBytes = convert({ bytes, file, verifyPasses: false }).tflite.byteLength;
}
const ms = performance.now() - t0;
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ mode, ms, idleRss, peakRss, fileBytes: bytes.byteLength, outBytes }) + '\n');
