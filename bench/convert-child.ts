/**
 * Child process of the conversion benchmark: measures peak RSS of one conversion in isolation.
 * argv: <model.onnx> <mode: decode|copy|convert>. Prints one JSON line.
 */
import { readFileSync } from 'node:fs';
import onnxProto from 'onnx-proto';
import { convert } from '../src/convert/index.js';
import { buildEncoderDecoderOnnx } from '../src/samples/encoder-decoder.js';

const [file, mode] = process.argv.slice(2) as [string, 'decode' | 'copy' | 'convert'];
// Warm the code path on a small model first (both modes), so the measurement is steady-state
// throughput and not JIT compilation of a cold process.
const warm = buildEncoderDecoderOnnx({ size: 32, width: 8 });
for (let i = 0; i < 3; i++) {
  if (mode === 'decode') onnxProto.onnx.ModelProto.decode(warm);
  else if (mode === 'copy') warm.slice();
  else convert({ bytes: warm, file: 'warm.onnx', verifyPasses: false });
}
const idleRss = process.memoryUsage().rss;
const buf = readFileSync(file);
const bytes = new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength); // a view: no second copy of the file
const t0 = performance.now();
let outBytes = 0;
if (mode === 'decode') {
  const m = onnxProto.onnx.ModelProto.decode(bytes);
  outBytes = m.graph?.initializer?.length ?? 0;
} else if (mode === 'copy') {
  outBytes = bytes.slice().byteLength;
} else {
  outBytes = convert({ bytes, file, verifyPasses: false }).tflite.byteLength;
}
const ms = performance.now() - t0;
const peakRss = process.resourceUsage().maxRSS * 1024;
process.stdout.write(JSON.stringify({ mode, ms, idleRss, peakRss, fileBytes: bytes.byteLength, outBytes }) + '\n');
