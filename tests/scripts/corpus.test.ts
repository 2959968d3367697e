/**
 * The committed real-export corpus (data/corpus/, made by scripts/corpus/generate.py --ci): every
 * model converts, passes the `--check` tolerance against onnxruntime-node (fp16 / QDQ / dynamic-quant
 * sources against their float32 computation), runs wholly on the kirin9000 GPU delegate by the rule
 * table, non-attention models carry no TRANSPOSE except the ones listed here with their reason, and
 * fp16 exports convert to a file at most 1.05× the ONNX file.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readManifest, renderCorpusDoc, runEntry, type CorpusResult } from '../../scripts/corpus/run.js';

const DIR = 'data/corpus';
const manifest = readManifest(DIR);

/** Non-attention architectures whose conversion still has TRANSPOSE ops, and why (each a known gap). */
const TRANSPOSES_LEFT: Record<string, { count: number; why: string }> = {
  yolo_style: { count: 1, why: 'the head flattens NCHW maps into one [1, C, N] output: the NCHW order has to be materialised once' },
};

describe('real-export corpus (data/corpus)', () => {
  it('the manifest lists every committed file with its size and sha256, and a handful of architectures and export paths', () => {
    for (const e of manifest.models) {
      const bytes = readFileSync(join(DIR, e.file));
      expect(createHash('sha256').update(bytes).digest('hex'), e.file).toBe((e as unknown as { sha256: string }).sha256);
    }
    expect(new Set(manifest.models.map((e) => e.arch)).size).toBeGreaterThanOrEqual(8);
    expect(new Set(manifest.models.map((e) => e.variant))).toEqual(new Set(['ts-op11', 'ts-op13', 'ts-op17', 'ts-newest', 'dynamo', 'fp16', 'slim', 'qdq', 'dynquant', 'external', 'tf2onnx-op13', 'torch-half']));
    expect(manifest.skipped).toEqual([]);
  });

  const results: CorpusResult[] = [];
  for (const e of manifest.models) {
    it(`${e.id} (${e.generator}) converts, passes --check and runs on the GPU delegate`, async () => {
      const r = await runEntry(DIR, e);
      results.push(r);
      expect(r.error, r.error?.message).toBeUndefined();
      expect(r.check!.pass, `worst output max_abs / range ${r.check!.maxRel}`).toBe(true);
      expect(r.check!.maxRel).toBeLessThanOrEqual(1e-4);
      expect(r.gpu!.cpuOps).toEqual([]);
      expect(r.gpu!.fullyDelegated).toBe(true);
      if (e.family !== 'attention') expect(r.transposes, TRANSPOSES_LEFT[e.arch]?.why).toBe(TRANSPOSES_LEFT[e.arch]?.count ?? 0);
      if (e.variant === 'fp16' || e.variant === 'torch-half' || e.variant === 'qdq' || e.variant === 'dynquant') expect(r.check!.floatReference?.length).toBeGreaterThan(0);
      // fp16 sources stay fp16: weights FLOAT16 behind DEQUANTIZE, the file no larger than 1.05× the ONNX file
      if (e.variant === 'fp16' || e.variant === 'torch-half') expect(r.tfliteBytes! / e.bytes).toBeLessThanOrEqual(1.05);
    }, 120_000);
  }

  it('the corpus table renders every model', () => {
    const md = renderCorpusDoc(manifest, results, DIR);
    for (const e of manifest.models) expect(md).toContain(`| ${e.arch} | ${e.family} | ${e.variant} |`);
    expect(md).toContain(`**${results.length} of ${manifest.models.length}** models`);
  });
});
