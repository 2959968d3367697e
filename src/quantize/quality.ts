/**
 * What a quantization report must say out loud: too few calibration samples,
 * a poor output SQNR (with the layer that loses the most), a mask-like output
 * that is nearly all background (its SQNR then measures noise on zeros, so the
 * foreground agreement is reported instead), a poor foreground IoU. The
 * thresholds travel with the report. Also the label a mixed model is given and
 * a short summary of the layers kept float.
 */
import { iou } from '../validate/metrics/index.js';
import type { KeptFloat } from './types.js';

export const QUALITY_THRESHOLDS = {
  /** fewer calibration samples than this: ranges (tails especially) are unreliable */
  minCalibSamples: 32,
  /** output SQNR below this (dB) is poor */
  poorOutputSqnrDb: 20,
  /** a [0, 1] output with less than this fraction of elements ≥ 0.5 is mostly background */
  minForegroundFraction: 0.01,
  /** foreground IoU (float mask vs quantized mask, threshold 0.5) below this is poor */
  poorForegroundIoU: 0.9,
} as const;

export type QualityThresholds = typeof QUALITY_THRESHOLDS;

/** Agreement of a mask-like output (values in [0, 1]) between the float and the quantized model. */
export interface ForegroundAgreement {
  threshold: number;
  /** fraction of elements ≥ threshold in the float output */
  fraction: number;
  /** IoU of the two masks (1 when both are empty) */
  iou: number;
  /** fraction of elements both models put on the same side of the threshold */
  agreement: number;
}

/** Foreground agreement when every float value lies in [0, 1] (a probability / alpha map); undefined otherwise. */
export function foregroundAgreement(ref: ArrayLike<number>, cand: ArrayLike<number>, threshold = 0.5): ForegroundAgreement | undefined {
  const n = ref.length;
  if (n === 0 || cand.length !== n) return undefined;
  let fg = 0;
  let same = 0;
  for (let i = 0; i < n; i++) {
    const r = ref[i]!;
    if (!(r >= 0 && r <= 1)) return undefined;
    const a = r >= threshold;
    if (a) fg++;
    if (a === cand[i]! >= threshold) same++;
  }
  const img = (data: ArrayLike<number>) => ({ width: n, height: 1, channels: 1, data: data instanceof Float32Array ? data : Float32Array.from(data) });
  return { threshold, fraction: fg / n, iou: iou(img(cand), img(ref), threshold), agreement: same / n };
}

export interface QualityWarning {
  code: 'few-calibration-samples' | 'evaluated-on-calibration' | 'poor-output-sqnr' | 'near-zero-output' | 'poor-foreground-iou';
  message: string;
}

export interface QualityInput {
  mode: 'int8' | 'fp16' | 'dynamic';
  calibSamples: number;
  evaluatedOn: 'held-out' | 'calibration' | 'random';
  outputs: Array<{ name: string; sqnrDb: number; foreground?: ForegroundAgreement }>;
  /** per-layer rows (where the SQNR first falls below the threshold is named as the likely cause) */
  layers: Array<{ tensor: string; op: string; sqnrDb: number; addedDb?: number; clipRate?: number }>;
}

const db = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : String(v));

export function qualityWarnings(r: QualityInput, t: QualityThresholds = QUALITY_THRESHOLDS): QualityWarning[] {
  const out: QualityWarning[] = [];
  if (r.mode === 'int8' && r.calibSamples < t.minCalibSamples) {
    out.push({
      code: 'few-calibration-samples',
      message: `calibrated on ${r.calibSamples} sample(s), fewer than ${t.minCalibSamples}: activation ranges (their tails especially) are unreliable; give --calib more images (100 or more)`,
    });
  }
  if (r.mode === 'int8' && r.evaluatedOn === 'calibration') {
    out.push({ code: 'evaluated-on-calibration', message: 'errors were measured on the calibration samples themselves (too few to hold any out): expect worse on new data' });
  }
  // where the damage starts: of the layers already below the threshold, the one closest to it
  const culprit = r.layers.filter((l) => l.sqnrDb < t.poorOutputSqnrDb).sort((a, b) => b.sqnrDb - a.sqnrDb)[0];
  for (const o of r.outputs) {
    const fg = o.foreground;
    if (fg && fg.fraction < t.minForegroundFraction) {
      out.push({
        code: 'near-zero-output',
        message: `output '${o.name}' is ${((1 - fg.fraction) * 100).toFixed(1)} % background (< 0.5) on the evaluation samples, so its SQNR (${db(o.sqnrDb)} dB) measures noise on near-zero values; the masks agree on ${(fg.agreement * 100).toFixed(2)} % of elements (foreground IoU ${fg.iou.toFixed(3)}) — evaluate on samples with foreground`,
      });
      continue;
    }
    if (o.sqnrDb < t.poorOutputSqnrDb) {
      const lost = culprit?.addedDb !== undefined && Number.isFinite(culprit.addedDb) ? `, ${db(culprit.addedDb)} dB lost there` : '';
      const clipped = culprit?.clipRate ? `, ${(culprit.clipRate * 100).toFixed(2)} % of its values clipped` : '';
      const cause = culprit ? `; SQNR first falls below ${t.poorOutputSqnrDb} dB at ${culprit.tensor} (${culprit.op}: ${db(culprit.sqnrDb)} dB${lost}${clipped})` : '';
      out.push({ code: 'poor-output-sqnr', message: `output '${o.name}' SQNR ${db(o.sqnrDb)} dB is poor (< ${t.poorOutputSqnrDb} dB)${cause}; see the per-layer report, or keep layers float with --max-drop` });
    }
    if (fg && fg.iou < t.poorForegroundIoU) {
      out.push({ code: 'poor-foreground-iou', message: `output '${o.name}': foreground IoU float vs quantized ${fg.iou.toFixed(3)} (< ${t.poorForegroundIoU})` });
    }
  }
  return out;
}

/** `int8`, or `int8 (12 of 113 layers float)` when layers stayed float. */
export function quantLabel(mode: string, layers: number, keptFloat: number): string {
  return keptFloat > 0 ? `${mode} (${keptFloat} of ${layers} layers float)` : mode;
}

/** The kept-float layers in one line: count per reason, ops per reason, a few names. */
export function summariseKeptFloat(kept: readonly KeptFloat[], names = 3): string {
  const byReason = new Map<string, KeptFloat[]>();
  for (const k of kept) byReason.set(k.reason, [...(byReason.get(k.reason) ?? []), k]);
  return [...byReason.entries()]
    .map(([reason, ks]) => {
      const ops = new Map<string, number>();
      for (const k of ks) ops.set(k.op, (ops.get(k.op) ?? 0) + 1);
      const opText = [...ops.entries()].map(([op, c]) => `${op}×${c}`).join(' ');
      const shown = ks.slice(0, names).map((k) => k.node);
      return `${ks.length} ${reason}: ${opText} (${shown.join(', ')}${ks.length > names ? `, … ${ks.length - names} more` : ''})`;
    })
    .join('; ');
}
