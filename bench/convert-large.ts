/**
 * Conversion of a generated ONNX model with ≥ 50 MB of float32 weights.
 *   time ratio   = convert time ÷ plain onnx-proto decode time of the same file   (aim ≤ 3)
 *   memory ratio = peak RSS of the conversion ÷ file size                          (aim ≤ 3)
 * Each measurement runs in its own child process (median of 3) so peak RSS is not polluted
 * by the other runs; the child's RSS before reading the file is reported too. Each child first
 * runs its code path on a small model, so the numbers are steady state, not JIT warm-up.
 * For perspective it also times one plain copy of the file bytes: conversion has to permute and
 * write every weight byte, which decoding (zero-copy views) never does.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import { buildLargeOnnx } from '../src/samples/large-model.js';

interface ChildResult {
  mode: string;
  ms: number;
  idleRss: number;
  peakRss: number;
  fileBytes: number;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function child(file: string, mode: 'decode' | 'copy' | 'convert'): ChildResult {
  const tsx = createRequire(import.meta.url).resolve('tsx/cli');
  const out = execFileSync(process.execPath, [tsx, join(import.meta.dirname, 'convert-child.ts'), file, mode], {
    encoding: 'utf8',
    maxBuffer: 1 << 20,
  });
  return JSON.parse(out.trim().split('\n').pop()!) as ChildResult;
}

export async function runConvertBench(weightsMB = 50, repeats = 3) {
  const dir = mkdtempSync(join(tmpdir(), 'mai-bench-'));
  try {
    const file = join(dir, 'large.onnx');
    writeFileSync(file, buildLargeOnnx({ weightsMB }));
    const decode: ChildResult[] = [];
    const copy: ChildResult[] = [];
    const conv: ChildResult[] = [];
    for (let i = 0; i < repeats; i++) {
      decode.push(child(file, 'decode'));
      copy.push(child(file, 'copy'));
      conv.push(child(file, 'convert'));
    }
    const fileBytes = conv[0]!.fileBytes;
    const decodeMs = median(decode.map((r) => r.ms));
    const convertMs = median(conv.map((r) => r.ms));
    const copyMs = median(copy.map((r) => r.ms));
    const peak = median(conv.map((r) => r.peakRss));
    const idle = median(conv.map((r) => r.idleRss));
    const result = {
      name: 'convert-large-onnx',
      fileMB: +(fileBytes / 2 ** 20).toFixed(1),
      decodeMs: +decodeMs.toFixed(1),
      convertMs: +convertMs.toFixed(1),
      timeRatio: +(convertMs / decodeMs).toFixed(2),
      copyMs: +copyMs.toFixed(1),
      timeRatioVsOneCopy: +(convertMs / copyMs).toFixed(2),
      peakRssMB: +(peak / 2 ** 20).toFixed(1),
      idleRssMB: +(idle / 2 ** 20).toFixed(1),
      memoryRatio: +(peak / fileBytes).toFixed(2),
      memoryRatioAboveIdle: +((peak - idle) / fileBytes).toFixed(2),
      aim: { timeRatio: 3, memoryRatio: 3 },
    };
    process.stderr.write(
      `convert ${result.fileMB} MB ONNX: ${result.convertMs} ms vs decode ${result.decodeMs} ms → time ratio ${result.timeRatio} (aim ≤ 3; protobuf decode is zero-copy, it never touches the weights); ` +
        `one memcpy of the file ${result.copyMs} ms → ${result.timeRatioVsOneCopy} copies' worth; ` +
        `peak RSS ${result.peakRssMB} MB → memory ratio ${result.memoryRatio} (${result.memoryRatioAboveIdle} above the idle process) (aim ≤ 3)\n`,
    );
    return result;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
