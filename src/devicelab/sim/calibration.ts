/**
 * The simulator against its anchors: builds each anchor's model (the public
 * architectures as ONNX, converted with mai; Google's selfie segmenter as
 * shipped), runs the cost model with the anchor's profile and precision, and
 * renders the calibration table of docs/devicelab.md.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Graph } from '../../ir/graph.js';
import { convert } from '../../convert/index.js';
import { checkGpuCompat } from '../../convert/gpu/check.js';
import { readTflite } from '../../tflite/reader.js';
import { buildPublicNetOnnx } from '../../samples/public-nets.js';
import { ANCHOR_BAND, ANCHORS, type AnchorModel, type LatencyAnchor } from './anchors.js';
import { estimateCost } from './cost-model.js';
import { deviceProfile, MALI_DELEGATE, PROFILES, type MaliDelegate } from './profiles.js';

export interface AnchorModelFile {
  graph: Graph;
  bytes: number;
}

/** Google's selfie segmenter .tflite from @mediapipe/selfie_segmentation, when installed. */
function selfieFile(landscape: boolean): string | undefined {
  try {
    const dir = dirname(createRequire(import.meta.url).resolve('@mediapipe/selfie_segmentation/package.json'));
    const p = join(dir, landscape ? 'selfie_segmentation_landscape.tflite' : 'selfie_segmentation.tflite');
    return existsSync(p) ? p : undefined;
  } catch {
    return undefined;
  }
}

/** The model of an anchor as the phone would run it (the .tflite mai writes, read back); undefined when not installed. */
export function loadAnchorModel(model: AnchorModel): AnchorModelFile | undefined {
  if (model === 'selfie-segmenter' || model === 'selfie-segmenter-landscape') {
    const p = selfieFile(model === 'selfie-segmenter-landscape');
    if (!p) return undefined;
    const bytes = new Uint8Array(readFileSync(p));
    return { graph: readTflite(bytes, p), bytes: bytes.length };
  }
  const { tflite } = convert({ bytes: buildPublicNetOnnx(model), file: `${model}.onnx`, verifyPasses: false });
  return { graph: readTflite(tflite, `${model}.tflite`), bytes: tflite.length };
}

export interface AnchorResult {
  anchor: LatencyAnchor;
  /** Simulated steady-state latency, ms (undefined: model not installed). */
  simMs?: number;
  /** (sim − published) / published. */
  error?: number;
  /** Within ±ANCHOR_BAND (model rows) or not above the bound (pipeline rows). */
  ok: boolean;
}

/** Simulated latency (ms) of one anchor on its profile, without noise. */
export function simulateAnchor(a: LatencyAnchor, m: AnchorModelFile, delegate: MaliDelegate = MALI_DELEGATE): number {
  return estimateCost(m.graph, checkGpuCompat(m.graph), m.bytes, { profile: deviceProfile(a.profile), fp16: a.precision === 'fp16', delegate }).inferenceUs / 1000;
}

/** Every anchor against the simulator; `models` caches the built models by name. */
export function evaluateAnchors(models: Map<AnchorModel, AnchorModelFile | undefined>, delegate: MaliDelegate = MALI_DELEGATE, anchors: readonly LatencyAnchor[] = ANCHORS): AnchorResult[] {
  return anchors.map((anchor) => {
    if (!models.has(anchor.model)) models.set(anchor.model, loadAnchorModel(anchor.model));
    const m = models.get(anchor.model);
    if (!m) return { anchor, ok: anchor.kind === 'pipeline' };
    const simMs = simulateAnchor(anchor, m, delegate);
    const error = (simMs - anchor.ms) / anchor.ms;
    const ok = anchor.kind === 'model' ? Math.abs(error) <= ANCHOR_BAND : simMs <= anchor.ms;
    return { anchor, simMs, error, ok };
  });
}

/** The free constants the calibration fits (MALI_FIT). */
export const FITTED_KEYS = ['convPeakEff', 'channelHalf', 'memEff', 'dispatchUs', 'perInferenceUs'] as const;

const pct = (x: number) => `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} %`;

/** The Markdown calibration table and the fitted constants (docs/devicelab.md). */
export function renderCalibrationTable(results: readonly AnchorResult[], delegate: MaliDelegate = MALI_DELEGATE): string {
  const rows = results.map(({ anchor: a, simMs, error, ok }) => {
    const p = PROFILES[a.profile]!;
    const verdict = simMs === undefined ? 'not installed' : a.kind === 'model' ? (ok ? `within ±${ANCHOR_BAND * 100} %` : 'OUT OF BAND') : ok ? 'below the bound' : 'ABOVE THE BOUND';
    return `| ${a.model} | ${p.soc}, ${p.gpu} | ${a.precision} | ${a.kind === 'model' ? 'model' : 'pipeline (upper bound)'} | ${a.ms} | ${simMs === undefined ? '—' : simMs.toFixed(2)} | ${error === undefined ? '—' : pct(error)} | ${verdict} | ${a.source}${a.note ? `; ${a.note}` : ''} |`;
  });
  const fit = FITTED_KEYS.map((k) => `\`${k}\` = ${Number(delegate[k]).toPrecision(3)}`)
    .join(', ');
  return [
    '| model | phone | precision | published | ms | simulated ms | error | verdict | source |',
    '|---|---|---|---|---|---|---|---|---|',
    ...rows,
    '',
    `Fitted constants (src/devicelab/sim/calibration-fit.ts): ${fit}.`,
  ].join('\n');
}
