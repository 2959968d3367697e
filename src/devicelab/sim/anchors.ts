/**
 * Published GPU latencies of known models on Mali phones: the points the
 * simulator is calibrated on (scripts/calibrate-sim.ts) and checked against
 * (tests/devicelab/calibration.test.ts). `model` rows time the model alone
 * (TFLite benchmark_model, GPU delegate): the simulator must land within ±30 %.
 * `pipeline` rows time a whole MediaPipe task (pre/post-processing, transfers):
 * upper bounds the simulator must not exceed. Sources: ../shared/reference/
 * mali-latency-anchors.md and the rows' own `source`.
 */
import type { PublicNetId } from '../../samples/public-nets.js';

/** A public architecture built by src/samples/public-nets.ts, or Google's selfie segmenter (.tflite from @mediapipe/selfie_segmentation). */
export type AnchorModel = PublicNetId | 'selfie-segmenter' | 'selfie-segmenter-landscape';

export interface LatencyAnchor {
  model: AnchorModel;
  /** Profile of profiles.ts. */
  profile: string;
  /** Published latency, ms (the average where the source gives one). */
  ms: number;
  kind: 'model' | 'pipeline';
  /** Precision the delegate ran in (`benchmark_model --use_gpu=true` allows precision loss: fp16). */
  precision: 'fp16' | 'fp32';
  source: string;
  note?: string;
}

/** Allowed relative error of a model-only anchor. */
export const ANCHOR_BAND = 0.3;

const EMBEDDED_AI_BENCH = 'AI-performance/embedded-ai.bench, 20200920-bench:ncnn-tnn-mnn-tflite-androidv7v8-cpugpu.csv (TFLite benchmark_model --use_gpu=true, OpenCL)';
const MEDIAPIPE = (task: string) => `MediaPipe ${task} docs, ai.google.dev/edge/mediapipe/solutions/vision (Pixel 6, GPU, whole task)`;

export const ANCHORS: readonly LatencyAnchor[] = [
  { model: 'mobilenet-v1', profile: 'kirin990', ms: 9.25, kind: 'model', precision: 'fp16', source: EMBEDDED_AI_BENCH, note: 'Mate 30; avg of one run (min 7.24)' },
  { model: 'mobilenet-v2', profile: 'kirin990', ms: 8.16, kind: 'model', precision: 'fp16', source: EMBEDDED_AI_BENCH, note: 'Mate 30; min 6.38' },
  { model: 'squeezenet-1.0', profile: 'kirin990', ms: 12.16, kind: 'model', precision: 'fp16', source: EMBEDDED_AI_BENCH, note: 'TFLite-hosted SqueezeNet; version 1.0 assumed' },
  { model: 'mobilenet-v1', profile: 'kirin980', ms: 15.45, kind: 'model', precision: 'fp16', source: EMBEDDED_AI_BENCH },
  { model: 'mobilenet-v2', profile: 'kirin980', ms: 11.82, kind: 'model', precision: 'fp16', source: EMBEDDED_AI_BENCH },
  { model: 'efficientnet-lite0', profile: 'tensor', ms: 18.9, kind: 'pipeline', precision: 'fp32', source: MEDIAPIPE('Image Classifier') },
  { model: 'mobilenet-v3-small-0.75', profile: 'tensor', ms: 7.83, kind: 'pipeline', precision: 'fp32', source: MEDIAPIPE('Image Embedder') },
  { model: 'mobilenet-v3-large-0.75', profile: 'tensor', ms: 9.08, kind: 'pipeline', precision: 'fp32', source: MEDIAPIPE('Image Embedder') },
  { model: 'selfie-segmenter', profile: 'tensor', ms: 35.15, kind: 'pipeline', precision: 'fp16', source: MEDIAPIPE('Image Segmenter'), note: 'square model; the legacy selfie_segmentation.tflite stands in for it' },
  { model: 'selfie-segmenter-landscape', profile: 'tensor', ms: 33.55, kind: 'pipeline', precision: 'fp16', source: MEDIAPIPE('Image Segmenter'), note: 'landscape model; legacy .tflite stands in' },
];
