import { describe, expect, it } from 'vitest';
import { parseBenchmarkOutput, parseStats, simMarker, SIM_MARKER } from '../../src/devicelab/benchmark/parse.js';

// Samples from docs/reference/tflite-gpu-adb-notes.md §4.2 and §2.6 (real benchmark_model output of several versions).
const CURRENT = `INFO: STARTING!
INFO: Log parameter values verbosely: [0]
INFO: Use gpu: [1]
INFO: Created TensorFlow Lite delegate for GPU.
INFO: Initialized OpenCL-based API.
INFO: Created 1 GPU delegate kernels.
INFO: Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.
INFO: The input model file size (MB): 3.79893
INFO: Initialized session in 1451.51ms.
INFO: Running benchmark for at least 1 iterations and at least 0.5 seconds but terminate if exceeding 150 seconds.
INFO: count=56 first=11147 curr=8146 min=7055 max=12036 avg=8779.68 std=1115 p5=7100 median=8700 p95=11000

INFO: Running benchmark for at least 50 iterations and at least 1 seconds but terminate if exceeding 150 seconds.
INFO: count=110 first=8325 curr=10016 min=7863 max=10688 avg=8680.33 std=591 p5=7900 median=8650 p95=9900

INFO: Inference timings in us: Init: 1451507, First inference: 11147, Warmup (avg): 8779.68, Inference (avg): 8680.33
INFO: Note: as the benchmark tool itself affects memory footprint, the following is only APPROXIMATE to the actual memory footprint of the model at runtime. Take the information at your discretion.
INFO: Memory footprint delta from the start of the tool (MB): init=6.36328 overall=109.832
INFO: Overall peak memory footprint (MB) via periodic monitoring: 123.4
`;

// Older builds (≈ TF 2.4): no INFO: prefix, older delegation wording, profiling table.
const OLDER = `STARTING!
Min num runs: [50]
Graph: [/data/local/tmp/model.tflite]
Use gpu: [1]
Loaded model /data/local/tmp/model.tflite
INFO: Created TensorFlow Lite delegate for GPU.
INFO: Initialized OpenCL-based API.
Applied GPU delegate, and the model graph will be completely executed w/ the delegate.
The input model file size (MB): 3.79893
Initialized session in 1389.2ms.
Running benchmark for at least 1 iterations and at least 0.5 seconds but terminate if exceeding 150 seconds.
count=55 first=11000 curr=8100 min=7000 max=12000 avg=8800.5 std=1100

Running benchmark for at least 50 iterations and at least 1 seconds but terminate if exceeding 150 seconds.
count=110 first=8317 curr=10006 min=7854 max=10679 avg=8671.49 std=590

Operator-wise Profiling Info for Regular Benchmark Runs:
============================== Run Order ==============================
\t             [node type]\t          [start]\t  [first]\t [avg ms]\t     [%]\t  [cdf%]\t  [mem KB]\t[times called]\t[Name]
\t     TfLiteGpuDelegateV2\t            0.000\t    8.317\t    8.671\t100.000%\t100.000%\t     0.000\t        1\t[Identity]:77

Timings (microseconds): count=110 first=8317 curr=10006 min=7854 max=10679 avg=8671.49 std=590
Memory (bytes): count=0
1 nodes observed

Inference timings in us: Init: 1389200, First inference: 11000, Warmup (avg): 8800.5, Inference (avg): 8671.49
`;

// Pre-2.3: "Average inference timings".
const HISTORIC = `STARTING!
Num runs: [50]
Graph: [mobilenet_quant_v1_224.tflite]
count=50 first=82170 curr=79585 min=79256 max=86410 avg=79760.9 std=1288
Average inference timings in us: Warmup: 83235, Init: 38467, Inference: 79760.9
`;

// A slow CPU (TI AM62x): averages in scientific notation, all-same warm-up.
const SCIENTIFIC = `INFO: Running benchmark for at least 1 iterations and at least 0.5 seconds but terminate if exceeding 150 seconds.
INFO: count=1 curr=1357600

INFO: Running benchmark for at least 5 iterations and at least 1 seconds but terminate if exceeding 150 seconds.
INFO: count=5 first=1250000 curr=1238000 min=1230000 max=1250000 avg=1.24027e+06 std=7000 p5=1230000 median=1240000 p95=1250000

INFO: Inference timings in us: Init: 310220, First inference: 1357600, Warmup (avg): 1.3576e+06, Inference (avg): 1.24027e+06
`;

// Partial delegation: the delegate's unsupported-op block (stderr) and the partial wording.
const PARTIAL = `INFO: STARTING!
INFO: Created TensorFlow Lite delegate for GPU.
ERROR: Following operations are not supported by GPU delegate:
ARG_MAX: Operation is not supported.
UNPACK: Operation is not supported.
294 operations will run on the GPU, and the remaining 12 operations will run on the CPU.
INFO: Initialized OpenCL-based API.
INFO: Created 1 GPU delegate kernels.
VERBOSE: Replacing 294 out of 306 node(s) with delegate (TfLiteGpuDelegateV2) node, yielding 3 partitions for subgraph 0 (main).
INFO: Explicitly applied GPU delegate, and the model graph will be partially executed by the delegate w/ 1 delegate kernels.
INFO: Initialized session in 900.1ms.
INFO: count=1 curr=20000
INFO: count=10 curr=15000 (all same)
INFO: Inference timings in us: Init: 900100, First inference: 20000, Warmup (avg): 20000, Inference (avg): 15000
`;

const REJECTED = `INFO: STARTING!
INFO: Require full delegation: [1]
INFO: Created TensorFlow Lite delegate for GPU.
ERROR: Following operations are not supported by GPU delegate:
RESHAPE: OP is supported, but tensor type/shape isn't compatible.
No operations will run on the GPU, and all 2 operations will run on the CPU.
ERROR: Disallowed CPU fallback detected.
ERROR: Benchmarking failed.
`;

// Older delegate wording (TF ≈ 1.14–2.1, as MediaPipe users reported it), and an fp16 DEQUANTIZE listed with an empty reason.
const OLDER_DELEGATE = `ERROR: Next operations are not supported by GPU delegate:
MAXIMUM: Operation is not supported.
MEAN: Operation is not supported.
First 0 operations will run on the GPU, and the remaining 81 on the CPU.
ERROR: Following operations are not supported by GPU delegate:
DEQUANTIZE:
TRANSPOSE_CONV: Max version supported: 3. Requested version 4.
123 operations will run on the GPU, and the remaining 156 operations will run on the CPU.
`;

describe('parseBenchmarkOutput', () => {
  it('reads the older "Next operations … First N operations" delegate wording and empty reasons', () => {
    const r = parseBenchmarkOutput(OLDER_DELEGATE);
    expect(r.unsupportedOps).toEqual([
      { op: 'MAXIMUM', message: 'Operation is not supported.' },
      { op: 'MEAN', message: 'Operation is not supported.' },
      { op: 'DEQUANTIZE', message: '' },
      { op: 'TRANSPOSE_CONV', message: 'Max version supported: 3. Requested version 4.' },
    ]);
    expect(r.delegation).toMatchObject({ status: 'partial', gpuOps: 123, cpuOps: 156 });
    expect(r.failed).toBe(true);
  });

  it('reads the current INFO-prefixed output', () => {
    const r = parseBenchmarkOutput(CURRENT);
    expect(r.format).toBe('current');
    expect(r.prefixed).toBe(true);
    expect([r.initUs, r.firstUs, r.warmupAvgUs, r.inferenceAvgUs]).toEqual([1451507, 11147, 8779.68, 8680.33]);
    expect(r.warmup).toMatchObject({ count: 56, first: 11147, avg: 8779.68, p95: 11000 });
    expect(r.inference).toMatchObject({ count: 110, min: 7863, max: 10688, std: 591, median: 8650 });
    expect(r.memory).toEqual({ initMb: 6.36328, overallMb: 109.832, peakMb: 123.4 });
    expect(r.modelSizeMb).toBe(3.79893);
    expect(r.initSessionMs).toBe(1451.51);
    expect(r.delegation).toMatchObject({ status: 'full', backend: 'OpenCL', kernels: 1 });
    expect(r.failed).toBe(false);
    expect(r.simulated).toBe(false);
  });

  it('reads older output without prefixes and ignores the profiling table', () => {
    const r = parseBenchmarkOutput(OLDER);
    expect(r.format).toBe('current');
    expect(r.delegation.status).toBe('full');
    expect(r.inference).toMatchObject({ count: 110, avg: 8671.49 });
    expect(r.warmup?.count).toBe(55);
    expect(r.inferenceAvgUs).toBe(8671.49);
    expect(r.initUs).toBe(1389200);
  });

  it('reads the pre-2.3 "Average inference timings" line', () => {
    const r = parseBenchmarkOutput(HISTORIC);
    expect(r.format).toBe('historic');
    expect(r.prefixed).toBe(false);
    expect([r.warmupAvgUs, r.initUs, r.inferenceAvgUs]).toEqual([83235, 38467, 79760.9]);
    expect(r.inference?.count).toBe(50);
  });

  it('reads scientific notation and the single-value stats form', () => {
    const r = parseBenchmarkOutput(SCIENTIFIC);
    expect(r.inferenceAvgUs).toBe(1240270);
    expect(r.warmupAvgUs).toBe(1357600);
    expect(r.warmup).toMatchObject({ count: 1, curr: 1357600, avg: 1357600 });
    expect(r.inference?.avg).toBe(1240270);
  });

  it('reads partial delegation: unsupported ops, GPU/CPU counts, replaced nodes, (all same) stats', () => {
    const r = parseBenchmarkOutput(PARTIAL);
    expect(r.unsupportedOps).toEqual([
      { op: 'ARG_MAX', message: 'Operation is not supported.' },
      { op: 'UNPACK', message: 'Operation is not supported.' },
    ]);
    expect(r.delegation).toMatchObject({ status: 'partial', kernels: 1, gpuOps: 294, cpuOps: 12, replacedNodes: 294, totalNodes: 306, partitions: 3 });
    expect(r.inference).toMatchObject({ count: 10, avg: 15000, allSame: true });
    expect(r.failed).toBe(false);
  });

  it('reads a --require_full_delegation refusal as failed with no timings', () => {
    const r = parseBenchmarkOutput(REJECTED);
    expect(r.fallbackDisallowed).toBe(true);
    expect(r.failed).toBe(true);
    expect(r.delegation).toMatchObject({ status: 'none', gpuOps: 0, cpuOps: 2 });
    expect(r.unsupportedOps[0]!.op).toBe('RESHAPE');
    expect(r.errors).toContain('Benchmarking failed.');
    expect(r.inferenceAvgUs).toBeUndefined();
  });

  it('parses count=0 and a crash', () => {
    expect(parseStats('count=0')).toEqual({ count: 0 });
    const r = parseBenchmarkOutput('INFO: STARTING!\nINFO: Loaded model /x.tflite\nSegmentation fault \n');
    expect(r.failed).toBe(true);
    expect(r.errors.some((e) => e.startsWith('Segmentation fault'))).toBe(true);
  });

  it('a run with count=0 and an average of 0 (e.g. --num_runs read as 0) is failed, not a 0 ms result', () => {
    const r = parseBenchmarkOutput(`INFO: STARTING!
INFO: Min num runs: [0]
INFO: Explicitly applied GPU delegate, and the model graph will be completely executed by the delegate.
INFO: Running benchmark for at least 0 iterations and at least 0 seconds but terminate if exceeding 150 seconds.
INFO: count=0

INFO: Running benchmark for at least 0 iterations and at least 0 seconds but terminate if exceeding 150 seconds.
INFO: count=0

INFO: Inference timings in us: Init: 41000, First inference: 0, Warmup (avg): 0, Inference (avg): 0
`);
    expect(r.format).toBe('current');
    expect(r.inference).toEqual({ count: 0 });
    expect(r.noRuns).toBe(true);
    expect(r.failed).toBe(true);
    expect(r.errors.join('\n')).toMatch(/no inference ran \(count=0/);
    // The summary line alone with an average of 0 (no statistics lines) is no result either.
    expect(parseBenchmarkOutput('Inference timings in us: Init: 1, First inference: 0, Warmup (avg): 0, Inference (avg): 0\n').failed).toBe(true);
  });

  it('marks output simulated only for the simulator\'s exact marker line, not for "SIMULATED" elsewhere (e.g. a model path)', () => {
    const real = CURRENT.replace('INFO: STARTING!', 'INFO: STARTING!\nINFO: Graph: [/data/local/tmp/SIMULATED_vs_real/model.tflite]\nINFO: Loaded model /data/local/tmp/SIMULATED_vs_real/model.tflite');
    expect(parseBenchmarkOutput(real).simulated).toBe(false);
    expect(parseBenchmarkOutput(`INFO: ${SIM_MARKER}\n${CURRENT}`).simulated).toBe(true);
    expect(parseBenchmarkOutput(`INFO: ${SIM_MARKER} (copied)\n${CURRENT}`).simulated).toBe(false);
    expect(parseBenchmarkOutput(`INFO: ${simMarker('Google Tensor (G1)', 'Mali-G78 MP20')}\n${CURRENT}`).simulated).toBe(true);
    expect(simMarker('Kirin 9000', 'Mali-G78 MP24')).toBe(SIM_MARKER);
  });

  it('collects the flags the tool did not use ("Unconsumed cmdline flags"), prefixed or not', () => {
    const r = parseBenchmarkOutput(`INFO: STARTING!\nWARN: Unconsumed cmdline flags: --use_gpuu=true --foo=1\n${CURRENT}`);
    expect(r.unconsumedFlags).toEqual(['--use_gpuu=true', '--foo=1']);
    expect(r.failed).toBe(false);
    expect(parseBenchmarkOutput(`Unconsumed cmdline flags: --bar\n${OLDER}`).unconsumedFlags).toEqual(['--bar']);
  });
});
