/** Every pass, and the order `mai convert` runs them in. Adding a pass = one file + one line here. */
import type { Pass } from './pass.js';
import { removeIdentity } from './remove-identity.js';
import { foldConstants } from './fold-constants.js';
import { cancelTransposes } from './cancel-transposes.js';
import { sinkTransposes } from './sink-transposes.js';
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
import { keepHalfWeights } from './keep-half-weights.js';

export const ALL_PASSES: readonly Pass[] = [
  removeIdentity,
  foldConstants,
  cancelTransposes,
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
];

/** The default pipeline: clean up, fold constants and transposes, fold BN, fuse activations, drop the dead, give pass-through outputs a tensor. */
export const DEFAULT_PIPELINE: readonly Pass[] = [
  removeIdentity,
  foldConstants,
  cancelTransposes,
  sinkTransposes,
  removeIdentity,
  foldBatchnormIntoConv,
  fuseActivation,
  // GPU rewrites: what the delegate would run on the CPU → equivalents it takes (src/convert/gpu/rules.ts)
  squeezeToReshape,
  foldBroadcastTo,
  depthToSpaceFromShuffle,
  lowerRankElementwise,
  mergeReshapes,
  alignBroadcastRanks,
  removeIdentity,
  eliminateDeadCode,
  copyPassthroughOutputs,
  keepHalfWeights, // last: the passes above read and fold float32 constant data
];

/** The pass with this id, or undefined. */
export function passById(id: string): Pass | undefined {
  return ALL_PASSES.find((p) => p.id === id);
}

/** Passes for a comma-separated id list (e.g. from `--passes`); throws naming unknown ids. */
export function passesByIds(ids: readonly string[]): Pass[] {
  const unknown = ids.filter((id) => !passById(id));
  if (unknown.length) throw new Error(`unknown pass id(s): ${unknown.join(', ')}; known: ${ALL_PASSES.map((p) => p.id).join(', ')}`);
  return ids.map((id) => passById(id)!);
}
