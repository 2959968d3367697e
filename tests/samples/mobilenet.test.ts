import { describe, expect, it } from 'vitest';
import { buildMobileNetOnnx, MOBILENET_INPUT } from '../../src/samples/mobilenet.js';
import { buildPublicNetOnnx } from '../../src/samples/public-nets.js';
import { onnx, num } from '../../src/convert/onnx/proto.js';
import { onnxRuntime } from '../../src/runtime/onnxruntime.js';
import { uniformFloat32 } from '../../src/core/random.js';

/** Every Conv of a model as 'weight dims / strides / group'. */
function convLayers(bytes: Uint8Array): string[] {
  const g = onnx.ModelProto.decode(bytes).graph!;
  const dims = new Map(g.initializer!.map((t) => [t.name!, (t.dims ?? []).map(num)]));
  return g.node!.filter((n) => n.opType === 'Conv').map((n) => {
    const a = (k: string) => n.attribute!.find((x) => x.name === k);
    return `${dims.get(n.input![1]!)!.join('x')} / s${(a('strides')?.ints ?? []).map(num).join(',')} / g${num(a('group')?.i ?? 1)}`;
  });
}

describe('MobileNetV1 samples', () => {
  it('the PyTorch-style classifier and the folded-BN latency anchor share one architecture', () => {
    const torch = convLayers(buildMobileNetOnnx({ alpha: 1, size: 64 }));
    const anchor = convLayers(buildPublicNetOnnx('mobilenet-v1', { size: 64 }));
    expect(torch).toHaveLength(27);
    // the anchor's classifier is one more (1×1) Conv; the classifier's is a Gemm
    expect(anchor.slice(0, -1)).toEqual(torch);
    expect(torch[1]).toBe('32x1x3x3 / s1,1 / g32');
    expect(torch.at(-1)).toBe('1024x1024x1x1 / s1,1 / g1');
  });

  it('is deterministic and runs in onnxruntime with a peaked softmax', async () => {
    const bytes = buildMobileNetOnnx({ size: 96, seed: 3 });
    expect(Buffer.from(buildMobileNetOnnx({ size: 96, seed: 3 })).equals(Buffer.from(bytes))).toBe(true);
    const m = await onnxRuntime.load(bytes);
    const [probs] = await m.run([{ name: MOBILENET_INPUT, dtype: 'float32', shape: [1, 3, 96, 96], data: uniformFloat32(3 * 96 * 96, 7, 0, 1) }]);
    await m.dispose();
    expect(probs!.shape).toEqual([1, 1000]);
    const p = probs!.data as Float32Array;
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 4);
    expect(Math.max(...p)).toBeGreaterThan(10 / 1000);
  });
});
