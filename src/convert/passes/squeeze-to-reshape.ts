/**
 * squeeze-to-reshape: SQUEEZE and EXPAND_DIMS become RESHAPE. The GPU delegate has no parser for
 * either (tflite-gpu-adb-notes.md §2.2 "Not delegated"), while RESHAPE (v1) is delegated; the
 * result is the same tensor (static shapes: the output shape says everything).
 */
import type { Graph } from '../../ir/graph.js';
import { makeReshape } from '../gpu/rewrite-util.js';
import { summarize, type PassResult, type PassSpec } from './pass.js';

export const squeezeToReshape: PassSpec = {
  id: 'squeeze-to-reshape',
  phase: 'target',
  transactional: true,
  summary: 'SQUEEZE / EXPAND_DIMS → RESHAPE (the GPU delegate takes RESHAPE only)',
  run(g: Graph): PassResult {
    let rewritten = 0;
    const declines: string[] = [];
    for (const n of g.nodes) {
      if (n.op !== 'SQUEEZE' && n.op !== 'EXPAND_DIMS') continue;
      const x = n.inputs[0];
      const y = n.outputs[0];
      const tx = x ? g.tensors.get(x) : undefined;
      const ty = y ? g.tensors.get(y) : undefined;
      if (!x || !tx || !ty || n.outputs.length !== 1) {
        declines.push(`${n.op} '${n.name}': missing input or output tensor`);
        continue;
      }
      if (ty.shape.some((d) => d < 0)) {
        declines.push(`${n.op} '${n.name}': output shape [${ty.shape}] is not static`);
        continue;
      }
      makeReshape(g, n, x);
      rewritten++;
    }
    if (rewritten) g.pruneTensors();
    return summarize('SQUEEZE/EXPAND_DIMS rewritten as RESHAPE', rewritten, declines, { rewritten });
  },
};
