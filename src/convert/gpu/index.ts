export { checkGpuCompat, checkGpuNode, unsupportedOpsLog } from './check.js';
export type { GpuCompatReport, GpuNodeVerdict, GpuPartition, GpuCheckOptions } from './check.js';
export { GPU_OP_RULES, GPU_NEVER_DELEGATED, GPU_ACTIVATIONS, GPU_RUNTIME_DTYPES, GPU_MAX_RANK, GPU_CUSTOM_OPS } from './rules.js';
export type { GpuViolation, GpuOpRule } from './rules.js';
export { gpuVerdict, cpuOpLines, PARTITION_LIMIT_RULE } from './verdict.js';
export type { GpuVerdict, GpuOpVerdict } from './verdict.js';
export { GPU_TARGETS, resolveTarget } from './targets.js';
export type { GpuTarget } from './targets.js';
