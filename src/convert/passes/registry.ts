/** Every pass, and the order `mai convert` runs them in. Adding a pass = one file + one line here. */
import { PHASES, type Phase, type PassSpec } from './pass.js';
import { removeIdentity } from './remove-identity.js';
import { foldConstants } from './fold-constants.js';
import { cancelTransposes } from './cancel-transposes.js';
import { sinkTransposes } from './sink-transposes.js';
import { sinkTransposesBelowOps } from './sink-transposes-below-ops.js';
import { hoistTransposesOverReshapes } from './hoist-transposes-over-reshapes.js';
import { hoistTransposesOverOps } from './hoist-transposes-over-ops.js';
import { lowerTransposeRank } from './lower-transpose-rank.js';
import { foldBatchnormIntoConv } from './fold-batchnorm-into-conv.js';
import { fuseActivation } from './fuse-activation.js';
import { eliminateDeadCode } from './eliminate-dead-code.js';
import { copyPassthroughOutputs } from './copy-passthrough-outputs.js';
import { squeezeToReshape } from './squeeze-to-reshape.js';
import { foldBroadcastTo } from './fold-broadcast-to.js';
import { depthToSpaceFromShuffle } from './depth-to-space-from-shuffle.js';
import { lowerRankElementwise } from './lower-rank-elementwise.js';
import { mergeReshapes } from './merge-reshapes.js';
import { alignBroadcastRanks } from './align-broadcast-ranks.js';
import { inputError, internalError } from '../../core/errors.js';
import { keepHalfWeights } from './keep-half-weights.js';
import { channelShuffleToConcat } from './channel-shuffle-to-concat.js';
import { lowerRankSlices } from './lower-rank-slices.js';
import { cutBeforeTranspose } from './cut-before-transpose.js';
import { foldTransposeIntoBatchMatmul } from './fold-transpose-into-batch-matmul.js';

/** Registers passes: their ids must be unique. */
export function registerPasses(passes: readonly PassSpec[]): readonly PassSpec[] {
  const seen = new Set<string>();
  for (const p of passes) {
    if (seen.has(p.id)) throw internalError(`pass id '${p.id}' is registered twice`);
    seen.add(p.id);
  }
  return passes;
}

/**
 * A pipeline from its phases, run in PHASES order: every pass registered, and of its
 * phase (a cleanup pass may close any phase).
 */
export function pipeline(phases: Partial<Record<Phase, readonly PassSpec[]>>): readonly PassSpec[] {
  return PHASES.flatMap((phase) =>
    (phases[phase] ?? []).map((p) => {
      if (!ALL_PASSES.includes(p)) throw internalError(`pass '${p.id}' is not registered`);
      if (p.phase !== phase && p.phase !== 'cleanup') throw internalError(`pass '${p.id}' belongs to phase ${p.phase}, not ${phase}`);
      return p;
    }),
  );
}

export const ALL_PASSES: readonly PassSpec[] = registerPasses([
  removeIdentity,
  foldConstants,
  cancelTransposes,
  sinkTransposesBelowOps,
  hoistTransposesOverReshapes,
  hoistTransposesOverOps,
  lowerTransposeRank,
  sinkTransposes,
  foldBatchnormIntoConv,
  fuseActivation,
  eliminateDeadCode,
  copyPassthroughOutputs,
  squeezeToReshape,
  foldBroadcastTo,
  depthToSpaceFromShuffle,
  lowerRankElementwise,
  mergeReshapes,
  alignBroadcastRanks,
  keepHalfWeights,
  channelShuffleToConcat,
  lowerRankSlices,
  cutBeforeTranspose,
  foldTransposeIntoBatchMatmul,
]);

/** The default pipeline: clean up, fold constants and transposes, fold BN, fuse activations, GPU rewrites, drop the dead, give pass-through outputs a tensor, keep an fp16 source's weights fp16. */
export const DEFAULT_PIPELINE: readonly PassSpec[] = pipeline({
  normalize: [removeIdentity, foldConstants],
  layout: [cancelTransposes, sinkTransposes, channelShuffleToConcat, removeIdentity],
  fuse: [foldBatchnormIntoConv, fuseActivation],
  // what the delegate would run on the CPU → equivalents it takes (src/convert/gpu/rules.ts)
  target: [squeezeToReshape, foldBroadcastTo, depthToSpaceFromShuffle, cutBeforeTranspose, lowerRankSlices, foldTransposeIntoBatchMatmul, lowerRankElementwise, mergeReshapes, alignBroadcastRanks],
  // keep-half-weights last: the passes before it read and fold float32 constant data
  cleanup: [removeIdentity, eliminateDeadCode, copyPassthroughOutputs, keepHalfWeights],
});

/** The pass with this id, or undefined. */
export function passById(id: string): PassSpec | undefined {
  return ALL_PASSES.find((p) => p.id === id);
}

/** Passes for a comma-separated id list (e.g. from `--passes`); throws naming unknown ids. */
export function passesByIds(ids: readonly string[]): PassSpec[] {
  const unknown = ids.filter((id) => !passById(id));
  if (unknown.length) throw inputError('bad-option', `unknown pass id(s): ${unknown.join(', ')}; known: ${ALL_PASSES.map((p) => p.id).join(', ')}`);
  return ids.map((id) => passById(id)!);
}

/** One line of `mai convert --list-passes`. */
export interface PassListEntry {
  id: string;
  phase: Phase;
  summary: string;
  transactional: boolean;
  /** Named in DEFAULT_PIPELINE. */
  inDefaultPipeline: boolean;
  /** The pass in DEFAULT_PIPELINE that runs this one as a step, when it is not named there itself. */
  runBy?: string;
  /** Registered passes this one runs as its steps. */
  runs?: string[];
}

/** Every registered pass, in phase order (registry order within a phase). */
export function passList(): PassListEntry[] {
  const ordered = [...ALL_PASSES].sort((a, b) => PHASES.indexOf(a.phase) - PHASES.indexOf(b.phase));
  return ordered.map((p) => {
    const inDefaultPipeline = DEFAULT_PIPELINE.includes(p);
    const runBy = inDefaultPipeline ? undefined : DEFAULT_PIPELINE.find((q) => q.runs?.includes(p))?.id;
    return {
      id: p.id,
      phase: p.phase,
      summary: p.summary,
      transactional: Boolean(p.transactional),
      inDefaultPipeline,
      ...(runBy ? { runBy } : {}),
      ...(p.runs ? { runs: p.runs.map((r) => r.id) } : {}),
    };
  });
}
