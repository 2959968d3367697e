/**
 * `checkGpuCompat(g)`: the GPU delegate's verdict on every node of a graph and
 * the partitions it would form, the way `GetOpsToReplace` does it: each node is
 * checked (op rule, version, fused activation, then every input/output tensor
 * for rank ≤ 4 and runtime dtype), the nodes are split into independent
 * subsets of supported / unsupported nodes, and only the largest supported
 * subsets are delegated (`max_delegated_partitions`, default 1).
 *
 * Independent of any device or simulator: the simulator, `mai convert --target` and `mai inspect` use it.
 */
import type { Graph } from '../../ir/graph.js';
import type { Node } from '../../ir/node.js';
import { isConstant, type Tensor } from '../../ir/tensor.js';
import {
  GPU_ACTIVATIONS,
  GPU_MAX_RANK,
  GPU_OP_RULES,
  GPU_RUNTIME_DTYPES,
  MSG_TENSOR_TYPE_SHAPE,
  MSG_UNSUPPORTED_OP,
  msgVersion,
  type GpuViolation,
  type RuleContext,
} from './rules.js';

export interface GpuNodeVerdict {
  index: number;
  node: string;
  op: string;
  version: number;
  supported: boolean;
  /** Every failed rule (empty when supported). The delegate itself logs only the first. */
  violations: GpuViolation[];
  /** Index into `partitions`. */
  partition: number;
  /** Runs inside the delegate (supported AND in a delegated partition). */
  delegated: boolean;
}

export interface GpuPartition {
  index: number;
  /** true: a subset of supported nodes; false: a subset the CPU runs. */
  supported: boolean;
  delegated: boolean;
  nodes: number[];
}

export interface GpuCompatReport {
  nodes: GpuNodeVerdict[];
  partitions: GpuPartition[];
  /** Number of supported subsets (candidate GPU partitions). */
  gpuPartitionCount: number;
  /** Partitions actually handed to the delegate (≤ maxDelegatedPartitions). */
  delegatedPartitionCount: number;
  delegatedNodeCount: number;
  cpuNodeCount: number;
  fullyDelegated: boolean;
  /** Sorted unique "OP: message" lines, as the delegate logs them. */
  unsupportedLines: string[];
}

export interface GpuCheckOptions {
  /** benchmark_model `--max_delegated_partitions` (default 1; ≤ 0 means all). */
  maxDelegatedPartitions?: number;
  /** `--gpu_experimental_enable_quant` (default true): int8/uint8 runtime tensors allowed. */
  allowQuant?: boolean;
}

function tensorsOf(g: Graph, names: string[]): Tensor[] {
  const out: Tensor[] = [];
  for (const n of names) {
    if (!n) continue;
    const t = g.tensors.get(n);
    if (t) out.push(t);
  }
  return out;
}

/**
 * Tensors the delegate treats as constant: those with data, plus outputs of a
 * DEQUANTIZE whose input is constant (fp16 / int8 weights): the FP16 partition
 * helper folds those DEQUANTIZE nodes into their consumers.
 */
export function delegateConstants(g: Graph): Set<string> {
  const s = new Set<string>();
  for (const t of g.tensors.values()) if (isConstant(t)) s.add(t.name);
  for (const n of g.nodes) if (isFoldedDequantize(g, n)) s.add(n.outputs[0]!);
  return s;
}

export function isFoldedDequantize(g: Graph, n: Node): boolean {
  if (n.op !== 'DEQUANTIZE' || !n.inputs[0]) return false;
  const t = g.tensors.get(n.inputs[0]);
  return t !== undefined && isConstant(t);
}

/** Every violation of one node, in the delegate's order (parser checks first, then tensors). */
export function checkGpuNode(g: Graph, node: Node, opts: GpuCheckOptions = {}, consts: Set<string> = delegateConstants(g)): GpuViolation[] {
  const rule = GPU_OP_RULES[node.op];
  if (!rule) return [{ rule: 'gpu.unsupported-op', reason: 'unsupported-op', message: MSG_UNSUPPORTED_OP }];
  const inputs = tensorsOf(g, node.inputs);
  const outputs = tensorsOf(g, node.outputs);
  const isConst = (t: Tensor) => consts.has(t.name);
  const ctx: RuleContext = { g, node, inputs, outputs, runtime: inputs.filter((t) => !isConst(t)), constants: inputs.filter(isConst), isConst };
  const found: GpuViolation[] = [];
  const version = node.version ?? 1;
  if (rule.maxVersion !== undefined && version > rule.maxVersion)
    found.push({ rule: 'gpu.op-version', reason: 'unsupported-attribute', message: msgVersion(rule.maxVersion, version) });
  const act = node.attrs.activation;
  if (rule.activation && act && !GPU_ACTIVATIONS.includes(act))
    found.push({ rule: 'gpu.activation', reason: 'unsupported-attribute', message: `Unsupported fused activation ${act}.` });
  for (const check of rule.checks ?? []) {
    const r = check(ctx);
    if (r) found.push(r);
  }
  // IsAllAllowedTensors: rank of every tensor (constants included), dtype of runtime tensors.
  const allowQuant = opts.allowQuant ?? true;
  const allowed = new Set<string>([...GPU_RUNTIME_DTYPES.filter((d) => allowQuant || (d !== 'int8' && d !== 'uint8')), ...(rule.extraDtypes ?? [])]);
  const all = [...inputs, ...outputs];
  const highRank = all.find((t) => t.shape.length > GPU_MAX_RANK);
  if (highRank) found.push({ rule: 'gpu.rank-above-4', reason: 'gpu-rank-above-4', message: MSG_TENSOR_TYPE_SHAPE });
  // ExtractTensorShape maps ranks 1–4 to BHWC; a rank-0 runtime tensor fails when the delegate builds
  // its graph ("bad input dims size"), which aborts delegation altogether, so it is reported here.
  const scalar = all.find((t) => !isConst(t) && t.shape.length === 0);
  if (scalar) found.push({ rule: 'gpu.rank-0-runtime', reason: 'unsupported-attribute', message: `Tensor "${scalar.name}" has bad input dims size` });
  // int8/uint8 are allowed as quantized tensors; plain ones (no scale, e.g. integer Clip/Min/Max) are
  // refused by the delegate (measured: test_clip_default_int8_min/max fall back in LiteRT's WebGPU delegate)
  const plainInt8 = (t: Tensor) => (t.dtype === 'int8' || t.dtype === 'uint8') && !t.quant?.scale.length && !(rule.extraDtypes ?? []).includes(t.dtype);
  const badType = all.find((t) => !isConst(t) && (!allowed.has(t.dtype) || plainInt8(t)));
  if (badType) found.push({ rule: 'gpu.tensor-dtype', reason: 'unsupported-dtype', message: MSG_TENSOR_TYPE_SHAPE });
  const perChannel = all.find((t) => !isConst(t) && (t.quant?.scale.length ?? 0) > 1);
  if (perChannel) found.push({ rule: 'gpu.per-channel-runtime', reason: 'unsupported-attribute', message: 'Non-constant per-channel quantized tensor' });
  return found;
}

/**
 * Split nodes (topological order) into independent subsets of one kind each,
 * greedily, like TFLite's PartitionGraphIntoIndependentNodeSubsets: take every
 * node of the current kind whose dependencies are done, repeat until none is
 * ready, then switch kind.
 */
function partition(g: Graph, supported: boolean[], skip: boolean[]): number[][] & { kinds?: boolean[] } {
  const prod = g.producers();
  const index = new Map(g.nodes.map((n, i) => [n, i] as const));
  const deps = g.nodes.map((n) => {
    const s = new Set<number>();
    for (const i of n.inputs) {
      const p = i ? prod.get(i) : undefined;
      if (p) s.add(index.get(p)!);
    }
    return s;
  });
  const done = skip.slice();
  const subsets: number[][] = [];
  const kinds: boolean[] = [];
  let remaining = skip.filter((s) => !s).length;
  let kind = supported[skip.indexOf(false)] ?? true;
  while (remaining > 0) {
    const subset: number[] = [];
    let progress = true;
    while (progress) {
      progress = false;
      for (let i = 0; i < g.nodes.length; i++) {
        if (done[i] || supported[i] !== kind) continue;
        if ([...deps[i]!].every((d) => done[d])) {
          done[i] = true;
          subset.push(i);
          remaining--;
          progress = true;
        }
      }
    }
    if (subset.length) {
      subsets.push(subset.sort((a, b) => a - b));
      kinds.push(kind);
    }
    kind = !kind;
  }
  return Object.assign(subsets, { kinds });
}

export function checkGpuCompat(g: Graph, opts: GpuCheckOptions = {}): GpuCompatReport {
  const consts = delegateConstants(g);
  const violations = g.nodes.map((n) => checkGpuNode(g, n, opts, consts));
  const supported = violations.map((v) => v.length === 0);
  const folded = g.nodes.map((n) => isFoldedDequantize(g, n));
  const subsets = partition(g, supported, folded);
  const kinds = subsets.kinds!;
  const max = opts.maxDelegatedPartitions ?? 1;
  const candidates = subsets.map((s, i) => ({ i, size: s.length })).filter((c) => kinds[c.i]);
  // Largest first; ties keep graph order (stable sort).
  candidates.sort((a, b) => b.size - a.size);
  const chosen = new Set((max > 0 ? candidates.slice(0, max) : candidates).map((c) => c.i));
  const partitions: GpuPartition[] = subsets.map((nodes, i) => ({ index: i, supported: kinds[i]!, delegated: chosen.has(i), nodes }));
  const partOf = new Array<number>(g.nodes.length);
  partitions.forEach((p) => p.nodes.forEach((n) => (partOf[n] = p.index)));
  // A folded DEQUANTIZE goes with its first consumer (delegated with it when it is).
  const consumers = g.consumers();
  const index = new Map(g.nodes.map((n, i) => [n, i] as const));
  g.nodes.forEach((n, i) => {
    if (!folded[i]) return;
    const users = (consumers.get(n.outputs[0]!) ?? []).map((u) => index.get(u)!);
    const target = users.find((u) => chosen.has(partOf[u]!) && supported[u]) ?? users[0];
    if (target !== undefined && partOf[target] !== undefined) {
      partOf[i] = partOf[target]!;
      partitions[partOf[i]!]!.nodes.push(i);
    }
  });
  for (const p of partitions) p.nodes.sort((a, b) => a - b);
  const nodes: GpuNodeVerdict[] = g.nodes.map((n, i) => ({
    index: i,
    node: n.name,
    op: n.op,
    version: n.version ?? 1,
    supported: supported[i]!,
    violations: violations[i]!,
    partition: partOf[i]!,
    delegated: supported[i]! && chosen.has(partOf[i]!),
  }));
  const delegatedNodeCount = nodes.filter((n) => n.delegated).length;
  const lines = new Set<string>();
  for (const n of nodes) if (!n.supported) lines.add(`${n.op}: ${n.violations[0]!.message}`);
  return {
    nodes,
    partitions,
    gpuPartitionCount: candidates.length,
    delegatedPartitionCount: chosen.size,
    delegatedNodeCount,
    cpuNodeCount: nodes.length - delegatedNodeCount,
    fullyDelegated: nodes.length > 0 && delegatedNodeCount === nodes.length,
    unsupportedLines: [...lines].sort(),
  };
}

/**
 * The lines the delegate logs (minimal logging → stderr, "ERROR: " prefix)
 * when some nodes are rejected; empty when every node is supported.
 * Source: model_builder.cc GetOpsToReplace (notes §2.1).
 */
export function unsupportedOpsLog(r: GpuCompatReport): string[] {
  if (r.unsupportedLines.length === 0 || r.nodes.length === 0) return [];
  const last =
    r.delegatedNodeCount > 0
      ? `${r.delegatedNodeCount} operations will run on the GPU, and the remaining ${r.cpuNodeCount} operations will run on the CPU.`
      : `No operations will run on the GPU, and all ${r.nodes.length} operations will run on the CPU.`;
  return ['ERROR: Following operations are not supported by GPU delegate:', ...r.unsupportedLines, last];
}
