/** The peer table's headline numbers: converted counts, TRANSPOSE totals over models both convert, median time ratio. */
import { describe, expect, it } from 'vitest';
import { renderPeerDoc, type PeerRow } from '../../bench/peers/onnx2tf.js';

const ok = (seconds: number, transposes: number) => ({ converted: true, seconds, peakMiB: 300, transposes, ops: 10, gpuOps: 10, maxRel: 1e-6, bytes: 1e6 });

describe('docs/peer-comparison.md rendering', () => {
  it('counts conversions, sums TRANSPOSE where both convert, takes the median time ratio and names one-sided successes', () => {
    const rows: PeerRow[] = [
      { id: 'a', family: 'cnn', mai: ok(2, 0), onnx2tf: ok(10, 3) },
      { id: 'b', family: 'cnn', mai: ok(3, 1), onnx2tf: ok(12, 0) },
      { id: 'c', family: 'cnn', mai: ok(1, 0), onnx2tf: { converted: false, why: 'NotImplementedError: Mish' } },
      { id: 'd', family: 'attention', mai: { converted: false, why: 'unsupported-model: Einsum' }, onnx2tf: ok(20, 5) },
    ];
    const md = renderPeerDoc(rows, 'x', 'onnx2tf 1.0');
    expect(md).toContain('**Converted:** mai 3 / 4, onnx2tf 3 / 4.');
    expect(md).toContain('(models both convert, 2): mai 1, onnx2tf 3.');
    expect(md).toContain('mai / onnx2tf: 0.225'); // median of 0.2 and 0.25
    expect(md).toContain('**mai converts, onnx2tf does not:** c.');
    expect(md).toContain('**onnx2tf converts, mai does not:** d.');
    expect(md).toContain('| d | attention | failed: unsupported-model: Einsum | converted |');
  });

  it('marks rows whose onnx2tf side was reused from an earlier run and says so in the header', () => {
    const rows: PeerRow[] = [
      { id: 'a', family: 'cnn', peerReused: true, mai: ok(2, 0), onnx2tf: ok(10, 3) },
      { id: 'b', family: 'cnn', mai: ok(3, 1), onnx2tf: ok(12, 0) },
    ];
    const md = renderPeerDoc(rows, 'x', 'onnx2tf 1.0');
    expect(md).toContain("onnx2tf's side of 1 of 2 models (marked †)");
    expect(md).toContain('| a † | cnn |');
    expect(md).toContain('| b | cnn |');
    expect(renderPeerDoc([rows[1]!], 'x', 'onnx2tf 1.0')).not.toContain('†');
  });
});
