/**
 * The GPU verdict of a graph for a target, in the form the CLI prints: one row per op (delegated,
 * or CPU with the rule that keeps it there) and the list of ops that would fall back to the CPU.
 * A supported op outside the delegated partitions (max partitions reached) is CPU too, under the
 * rule `gpu.partition-limit`.
 */
import type { Graph } from '../../ir/graph.js';
import { opLabel } from '../../ir/op-label.js';
import { checkGpuCompat, type GpuCheckOptions } from './check.js';

export interface GpuOpVerdict {
  index: number;
  node: string;
  /** Builtin name, or CUSTOM:<code>. */
  op: string;
  delegated: boolean;
  /** Delegate partition (a supported subset) the op belongs to, when it is supported. */
  partition?: number;
  /** CPU ops: every failed rule (first = what the delegate logs). */
  rules: Array<{ rule: string; message: string }>;
}

export interface GpuVerdict {
  target?: string;
  /** Partitions the delegate would create (supported subsets handed to it). */
  delegatePartitions: number;
  /** Supported subsets in the graph (more than maxDelegatedPartitions ⇒ some run on the CPU). */
  supportedSubsets: number;
  maxDelegatedPartitions: number;
  fullyDelegated: boolean;
  delegatedOps: number;
  ops: GpuOpVerdict[];
  /** The CPU rows of `ops`. */
  cpuOps: GpuOpVerdict[];
}

export const PARTITION_LIMIT_RULE = 'gpu.partition-limit';

export function gpuVerdict(g: Graph, opts: GpuCheckOptions & { target?: string } = {}): GpuVerdict {
  const max = opts.maxDelegatedPartitions ?? 1;
  const r = checkGpuCompat(g, opts);
  const ops: GpuOpVerdict[] = r.nodes.map((n, i) => {
    const rules = n.violations.map((v) => ({ rule: v.rule, message: v.message }));
    if (n.supported && !n.delegated) {
      rules.push({
        rule: PARTITION_LIMIT_RULE,
        message: `supported, but its partition is not among the ${max} largest the delegate takes (the graph splits into ${r.gpuPartitionCount} GPU partitions)`,
      });
    }
    return { index: i, node: n.node, op: opLabel(g.nodes[i]!), delegated: n.delegated, ...(n.supported ? { partition: n.partition } : {}), rules };
  });
  return {
    ...(opts.target ? { target: opts.target } : {}),
    delegatePartitions: r.delegatedPartitionCount,
    supportedSubsets: r.gpuPartitionCount,
    maxDelegatedPartitions: max,
    fullyDelegated: r.fullyDelegated,
    delegatedOps: r.delegatedNodeCount,
    ops,
    cpuOps: ops.filter((o) => !o.delegated),
  };
}

/** One line per CPU op: `node (OP): rule: message`. */
export function cpuOpLines(v: GpuVerdict): string[] {
  return v.cpuOps.map((o) => `${o.node} (${o.op}): ${o.rules.map((r) => `${r.rule}: ${r.message}`).join('; ')}`);
}
