/**
 * `mai convert` / `inspect` / `quantize` of TF graphs through the CLI: --check against TensorFlow.js,
 * --target kirin9000 on a CNN with zero TRANSPOSE, --input-shape / --outputs / --signature, and bad
 * input (truncated .pb, missing / short shard, SavedModel without variables, unknown op, a loop) —
 * each exit 2 naming the file or node, nothing written.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyFileSync, cpSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { mai } from '../../helpers/cli.js';
import { liteRtRuntime } from '../../../src/runtime/litert.js';
import { FIXTURES } from './fixtures.js';
import { buildEncoderDecoderOnnx } from '../../../src/samples/encoder-decoder.js';

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mai-tf-cli-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const fx = (...p: string[]) => join(FIXTURES, ...p);

/** The output and any temp file next to it: none may exist after a refused conversion. */
function leftovers(name: string): string[] {
  return readdirSync(dir).filter((f) => f.startsWith(name));
}

describe('mai convert (TF graphs)', () => {
  for (const [format, path] of [
    ['tfjs', ['matting', 'tfjs', 'model.json']],
    ['graphdef', ['segmenter', 'frozen.pb']],
    ['saved-model', ['mobilenet_v2_block', 'saved_model']],
  ] as const) {
    it(`${format}: --check against TensorFlow.js passes, --target kirin9000 fully delegated, no TRANSPOSE`, async () => {
      const out = join(dir, `${format}.tflite`);
      const r = await mai('convert', fx(...path), '-o', out, '--check', '--target', 'kirin9000', '--json');
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      const j = JSON.parse(r.stdout);
      expect(j.check.reference).toBe('tfjs-cpu');
      expect(j.check.pass).toBe(true);
      for (const o of j.check.outputs) expect(o.maxAbs).toBeLessThanOrEqual(o.limit);
      expect(j.gpu.fullyDelegated).toBe(true);
      expect(j.ops.TRANSPOSE).toBeUndefined();
      expect(j.inputs[0].shape).toEqual([1, 32, 32, 3]);
      expect(j.notes.join(' ')).toMatch(/unknown batch dim of 'image' was set to 1/);
      const m = await liteRtRuntime.load(new Uint8Array(readFileSync(out)));
      expect(m.inputs()[0]!.shape).toEqual([1, 32, 32, 3]);
      await m.dispose();
    });
  }

  it('options of the other format are refused: --keep-io-layout for TF, --signature for ONNX', async () => {
    const a = await mai('convert', fx('op_pool', 'frozen.pb'), '-o', join(dir, 'opt-a.tflite'), '--keep-io-layout');
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/--keep-io-layout applies to ONNX models; .*frozen\.pb is a TF graph/);
    const onnx = join(dir, 'tiny.onnx');
    writeFileSync(onnx, buildEncoderDecoderOnnx({ size: 16, width: 4, seed: 1 }));
    const b = await mai('convert', onnx, '-o', join(dir, 'opt-b.tflite'), '--signature', 'serving_default');
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/--signature applies to TF SavedModels; .*tiny\.onnx is an ONNX model/);
    expect(leftovers('opt-')).toEqual([]);
  });

  it('weights split over several shards convert exactly as from one', async () => {
    const m = join(dir, 'shards');
    mkdirSync(m);
    const json = JSON.parse(readFileSync(fx('segmenter', 'tfjs', 'model.json'), 'utf8'));
    const bin = readFileSync(fx('segmenter', 'tfjs', json.weightsManifest[0].paths[0]));
    const cuts = [0, 1000, 5001, bin.length];
    json.weightsManifest[0].paths = cuts.slice(1).map((_, i) => `part${i}.bin`);
    cuts.slice(1).forEach((end, i) => writeFileSync(join(m, `part${i}.bin`), bin.subarray(cuts[i]!, end)));
    writeFileSync(join(m, 'model.json'), JSON.stringify(json));
    const one = await mai('convert', fx('segmenter', 'tfjs', 'model.json'), '-o', join(dir, 'one.tflite'));
    const three = await mai('convert', join(m, 'model.json'), '-o', join(dir, 'three.tflite'));
    expect([one.code, three.code]).toEqual([0, 0]);
    expect(Buffer.compare(readFileSync(join(dir, 'one.tflite')), readFileSync(join(dir, 'three.tflite')))).toBe(0);
  });

  it('--input-shape names the input with or without :0 and sets the batch', async () => {
    const a = await mai('convert', fx('matting', 'frozen.pb'), '-o', join(dir, 'b2.tflite'), '--input-shape', 'image:0=2,32,32,3', '--json');
    expect(a.code).toBe(0);
    expect(JSON.parse(a.stdout).inputs[0].shape).toEqual([2, 32, 32, 3]);
    const b = await mai('convert', fx('matting', 'tfjs', 'model.json'), '-o', join(dir, 'b3.tflite'), '--input-shape', 'image=3,32,32,3', '--json');
    expect(b.code).toBe(0);
    expect(JSON.parse(b.stdout).inputs[0].shape).toEqual([3, 32, 32, 3]);
    const c = await mai('convert', fx('matting', 'tfjs', 'model.json'), '-o', join(dir, 'bad-shape.tflite'), '--input-shape', 'image=1,16,16,3');
    expect(c.code).toBe(2);
    expect(c.stderr).toMatch(/conflicts with the model's static dim 1 = 32/);
    const d = await mai('convert', fx('matting', 'tfjs', 'model.json'), '-o', join(dir, 'bad-name.tflite'), '--input-shape', 'picture=1,32,32,3');
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/'picture', which is not an input .* its inputs are: image/);
    expect(leftovers('bad-')).toEqual([]);
  });

  it('--outputs cuts the graph: the classifier without its Softmax', async () => {
    const r = await mai('convert', fx('mobilenet_v2_block', 'frozen.pb'), '-o', join(dir, 'logits.tflite'), '--outputs', 'mobilenet_v2_block/dense/BiasAdd:0', '--check', '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.ops.SOFTMAX).toBeUndefined();
    expect(j.outputs[0].shape).toEqual([1, 10]);
    expect(j.check.pass).toBe(true);
    const bad = await mai('convert', fx('mobilenet_v2_block', 'frozen.pb'), '-o', join(dir, 'cut-bad.tflite'), '--outputs', 'no/such/node');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--outputs names 'no\/such\/node'/);
  });

  it('--signature picks a SavedModel signature (checked against tfjs on that signature); an unknown one lists the known', async () => {
    const def = await mai('convert', fx('op_pool', 'saved_model'), '-o', join(dir, 'sig-default.tflite'), '--json');
    expect(def.code).toBe(0);
    expect(JSON.parse(def.stdout).ops).toMatchObject({ AVERAGE_POOL_2D: 2, MAX_POOL_2D: 1, CONCATENATION: 1 });
    const ok = await mai('convert', fx('op_pool', 'saved_model'), '-o', join(dir, 'sig.tflite'), '--signature', 'max_only', '--check', '--json');
    expect(ok.stderr).toBe('');
    expect(ok.code).toBe(0);
    const j = JSON.parse(ok.stdout);
    expect(j.ops).toEqual({ MAX_POOL_2D: 1 });
    expect(j.outputs[0].shape).toEqual([1, 4, 4, 4]);
    expect(j.check.pass).toBe(true);
    const r = await mai('convert', fx('op_pool', 'saved_model'), '-o', join(dir, 'sig-bad.tflite'), '--signature', 'predict');
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no signature 'predict'; its signatures are: max_only, serving_default/);
    expect(leftovers('sig-bad')).toEqual([]);
  });
});

describe('mai convert (TF graphs): bad input, exit 2, nothing written', () => {
  it('a truncated frozen GraphDef', async () => {
    const pb = join(dir, 'truncated.pb');
    const bytes = readFileSync(fx('matting', 'frozen.pb'));
    writeFileSync(pb, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const r = await mai('convert', pb, '-o', join(dir, 'trunc-out.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('truncated.pb');
    expect(r.stderr).toMatch(/truncated or corrupt/);
    expect(leftovers('trunc-out')).toEqual([]);
  });

  it('a model.json whose shard is missing, or short', async () => {
    const m = join(dir, 'noshard');
    mkdirSync(m);
    copyFileSync(fx('matting', 'tfjs', 'model.json'), join(m, 'model.json'));
    const r = await mai('convert', join(m, 'model.json'), '-o', join(dir, 'noshard-out.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/weight shard 'group1-shard1of1.bin' is missing/);
    copyFileSync(fx('matting', 'tfjs', 'group1-shard1of1.bin'), join(m, 'group1-shard1of1.bin'));
    truncateSync(join(m, 'group1-shard1of1.bin'), 1000);
    const s = await mai('convert', join(m, 'model.json'), '-o', join(dir, 'noshard-out.tflite'));
    expect(s.code).toBe(2);
    expect(s.stderr).toMatch(/hold 1000 bytes, weight '.*' .* needs bytes/);
    expect(leftovers('noshard-out')).toEqual([]);
  });

  it('a SavedModel without variables/', async () => {
    const m = join(dir, 'novars');
    mkdirSync(m);
    copyFileSync(fx('matting', 'saved_model', 'saved_model.pb'), join(m, 'saved_model.pb'));
    const r = await mai('convert', m, '-o', join(dir, 'novars-out.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/has no variables\/variables.index, but its graph reads 20 variables/);
    expect(leftovers('novars-out')).toEqual([]);
  });

  it('a SavedModel whose variables index or data shard is cut short', async () => {
    const m = join(dir, 'cutvars');
    cpSync(fx('matting', 'saved_model'), m, { recursive: true });
    const index = join(m, 'variables', 'variables.index');
    const full = readFileSync(index);
    writeFileSync(index, full.subarray(0, full.length - 20));
    const a = await mai('convert', m, '-o', join(dir, 'cutvars-out.tflite'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/variables\.index is not a tensor bundle index \(no table magic at its end; truncated\?\)/);
    writeFileSync(index, full);
    truncateSync(join(m, 'variables', 'variables.data-00000-of-00001'), 2000);
    const b = await mai('convert', m, '-o', join(dir, 'cutvars-out.tflite'));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/variable '.*' \[.*\] float32 should take \d+ bytes at \d+ of a 2000-byte shard \(truncated\?\)/);
    expect(leftovers('cutvars-out')).toEqual([]);
  });

  it('unknown ops: every node is listed with its reason code', async () => {
    const m = join(dir, 'unknown');
    cpSync(fx('op_activations', 'tfjs'), m, { recursive: true });
    const json = JSON.parse(readFileSync(join(m, 'model.json'), 'utf8'));
    const nodes = json.modelTopology.node as Array<{ name: string; op: string }>;
    const renamed = nodes.filter((n) => n.op === 'Tanh' || n.op === 'Sigmoid');
    for (const n of renamed) n.op = `Frobnicate${n.op}`;
    writeFileSync(join(m, 'model.json'), JSON.stringify(json));
    const r = await mai('convert', join(m, 'model.json'), '-o', join(dir, 'unknown-out.tflite'), '--json');
    expect(r.code).toBe(2);
    const j = JSON.parse(r.stdout);
    expect(j.error).toBe('unsupported-model');
    expect(j.diagnostics.map((d: { node: string }) => d.node).sort()).toEqual(renamed.map((n) => n.name).sort());
    for (const d of j.diagnostics) expect(d).toMatchObject({ reason: 'unsupported-op', message: expect.stringMatching(/^op Frobnicate\w+ is not supported$/) });
    expect(leftovers('unknown-out')).toEqual([]);
  });

  it('not a TF model: a layers-model.json, JSON cut short, a .pb of noise, a directory without saved_model.pb', async () => {
    const layers = join(dir, 'layers.json');
    writeFileSync(layers, JSON.stringify({ format: 'layers-model', modelTopology: { class_name: 'Sequential' }, weightsManifest: [] }));
    const a = await mai('convert', layers, '-o', join(dir, 'notf-a.tflite'));
    expect(a.code).toBe(2);
    expect(a.stderr).toMatch(/layers\.json is not a TensorFlow\.js graph model: a tfjs layers model; convert it with tensorflowjs_converter --output_format=tfjs_graph_model/);
    const cut = join(dir, 'cut.json');
    writeFileSync(cut, readFileSync(fx('op_pool', 'tfjs', 'model.json'), 'utf8').slice(0, 200));
    const b = await mai('convert', cut, '-o', join(dir, 'notf-b.tflite'));
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/cut\.json is not valid JSON .*truncated/);
    const noise = join(dir, 'noise.pb');
    writeFileSync(noise, Buffer.from(Array.from({ length: 64 }, (_, i) => (i * 73 + 11) & 0xff)));
    const c = await mai('convert', noise, '-o', join(dir, 'notf-c.tflite'));
    expect(c.code).toBe(2);
    expect(c.stderr).toContain('noise.pb');
    const empty = join(dir, 'empty-dir');
    mkdirSync(empty);
    const d = await mai('convert', empty, '-o', join(dir, 'notf-d.tflite'));
    expect(d.code).toBe(2);
    expect(d.stderr).toMatch(/SavedModel directory without saved_model\.pb.*not found/);
    expect(leftovers('notf-')).toEqual([]);
  });

  it('a graph with a loop', async () => {
    const m = join(dir, 'loop');
    mkdirSync(m);
    const f = (v: string) => ({ type: v });
    const node = (name: string, op: string, input: string[] = [], attr: object = {}) => ({ name, op, input, attr: { T: f('DT_FLOAT'), ...attr } });
    const json = {
      format: 'graph-model',
      modelTopology: {
        node: [
          node('x', 'Placeholder', [], { dtype: f('DT_FLOAT'), shape: { shape: { dim: [{ size: '1' }, { size: '4' }] } } }),
          node('enter', 'Enter', ['x'], { frame_name: { s: Buffer.from('loop').toString('base64') } }),
          node('merge', 'Merge', ['enter', 'next']),
          node('body', 'Relu', ['merge']),
          node('next', 'NextIteration', ['body']),
          node('exit', 'Exit', ['merge']),
        ],
      },
      weightsManifest: [],
    };
    writeFileSync(join(m, 'model.json'), JSON.stringify(json));
    const r = await mai('convert', join(m, 'model.json'), '-o', join(dir, 'loop-out.tflite'));
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/loop\/model.json: the graph has a loop through 'body' \(Relu\) → 'next' \(NextIteration\) → 'merge' \(Merge\) → 'body'/);
    expect(leftovers('loop-out')).toEqual([]);
  });
});

describe('mai inspect / quantize / validate (TF graphs)', () => {
  it('validate: a TF graph as the reference runs in TensorFlow.js; its .tflite agrees', async () => {
    const tfl = join(dir, 'validate.tflite');
    expect((await mai('convert', fx('matting', 'saved_model'), '-o', tfl)).code).toBe(0);
    const r = await mai('validate', '--reference', fx('matting', 'tfjs', 'model.json'), '--candidate', tfl, '--data', join('data', 'samples', 'matting'), '--task', 'matting', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.reference).toMatchObject({ format: 'tf-graph', runtime: 'tfjs-cpu', input: { shape: [1, 32, 32, 3], layout: 'NHWC' } });
    expect(j.summary.agreement.max_abs).toBeLessThan(1e-5);
    expect(j.summary.agreement.cosine).toBeGreaterThan(0.9999);
  });

  it('inspect shows the TF ops and what convert makes of them', async () => {
    const r = await mai('inspect', fx('segmenter', 'tfjs', 'model.json'), '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.format).toBe('tf-graph');
    expect(j.sourceFormat).toBe('tfjs');
    expect(j.inputs[0]).toMatchObject({ name: 'image', shape: ['?', 32, 32, 3] });
    expect(j.ops._FusedConv2D).toBeGreaterThan(0);
    expect(j.conversion.ok).toBe(true);
    expect(j.conversion.tflite.gpu.fullyDelegated).toBe(true);
  });

  it('quantize --mode int8 of a SavedModel: calibrated, reported, runs in LiteRT', async () => {
    const out = join(dir, 'matting-int8.tflite');
    const r = await mai('quantize', fx('matting', 'saved_model'), '-o', out, '--mode', 'int8', '--calib', join('data', 'samples', 'matting'), '--json');
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.stdout);
    expect(j.calibSamples.length).toBeGreaterThan(0);
    expect(j.layers?.length ?? j.report?.layers?.length).toBeGreaterThan(0);
    expect(existsSync(out)).toBe(true);
    const m = await liteRtRuntime.load(new Uint8Array(readFileSync(out)));
    const res = await m.run([{ name: m.inputs()[0]!.name, dtype: 'float32', shape: [1, 32, 32, 3], data: new Float32Array(32 * 32 * 3).fill(0.5) }]);
    expect(res[0]!.shape).toEqual([1, 32, 32, 1]);
    await m.dispose();
  });
});
