/**
 * `--channels-last-outputs`: a rank-3 graph output [N, C, L] that the converted graph computes
 * channels-last ends in a TRANSPOSE perm [0,2,1] back to the source's order; that TRANSPOSE is
 * dropped and the output returned as [N, L, C], tagged `NHWC` (channels last; recorded in the
 * file's `mai_ir` layouts, shown by `mai inspect`). No op is ever added: an output whose producer is
 * not such a TRANSPOSE keeps the source's layout (tagged `plain`), and the note says which.
 * Rank-4 outputs are NHWC already. Runs after the passes, which move layout transposes to the end.
 */
import type { Graph } from '../ir/graph.js';
import { constInts } from './passes/graph-util.js';

/** Graph metadata key of the note listing each rank-3 output's layout. */
export const CHANNELS_LAST_OUTPUTS_KEY = 'mai_channels_last_outputs';

export interface OutputLayout {
  name: string;
  /** `channels-last`: the source's output permuted [0,2,1]; `source`: as the source model gives it. */
  layout: 'channels-last' | 'source';
  shape: number[];
  /** For `source`: why the output could not be returned channels-last. */
  reason?: string;
}

/** Why output `out`'s TRANSPOSE cannot be dropped, or undefined when it can. */
function blocker(g: Graph, out: string): string | undefined {
  const p = g.producerOf(out);
  if (!p || p.op !== 'TRANSPOSE') return p ? `its producer is ${p.op}, not a channels-first TRANSPOSE` : 'no op produces it';
  const perm = constInts(g, p.inputs[1]);
  if (perm?.join(',') !== '0,2,1') return `its TRANSPOSE has perm [${perm?.join(',') ?? '?'}], not [0,2,1]`;
  const src = p.inputs[0]!;
  if (g.inputs.includes(src) || g.outputs.includes(src) || g.tensor(src).data) return 'the TRANSPOSE reads a graph input, another output or a constant';
  if (g.consumersOf(out).length) return 'other ops read the channels-first tensor too';
  return undefined;
}

/** Rewrites `g`'s rank-3 outputs as described above; returns each rank-3 output's layout. */
export function channelsLastOutputs(g: Graph): OutputLayout[] {
  const report: OutputLayout[] = [];
  for (const out of [...g.outputs]) {
    const t = g.tensor(out);
    if (t.shape.length !== 3) continue;
    const why = blocker(g, out);
    const name = g.signature?.outputs.find((s) => s.tensor === out)?.name ?? out;
    if (why) {
      report.push({ name, layout: 'source', shape: [...t.shape], reason: why });
      continue;
    }
    const transpose = g.producerOf(out)!;
    const src = transpose.inputs[0]!;
    g.removeNode(transpose);
    g.tensors.delete(out);
    g.replaceUses(out, src);
    g.renameTensor(src, out);
    const moved = g.tensor(out);
    moved.layout = 'NHWC';
    report.push({ name, layout: 'channels-last', shape: [...moved.shape] });
  }
  g.pruneTensors();
  if (report.length) {
    const line = (o: OutputLayout) =>
      o.layout === 'channels-last' ? `'${o.name}' [${o.shape.join(',')}] channels-last (the source's output permuted [0,2,1])` : `'${o.name}' [${o.shape.join(',')}] kept the source's layout (${o.reason})`;
    g.metadata.set(CHANNELS_LAST_OUTPUTS_KEY, `--channels-last-outputs: ${report.map(line).join('; ')}`);
  }
  return report;
}
