export { checkGpuCompat, checkGpuNode, unsupportedOpsLog } from './check.js';
export type { GpuCompatReport, GpuNodeVerdict, GpuPartition, GpuCheckOptions } from './check.js';
export { GPU_OP_RULES, GPU_NEVER_DELEGATED, GPU_ACTIVATIONS, GPU_RUNTIME_DTYPES, GPU_MAX_RANK } from './rules.js';
export type { GpuViolation, GpuOpRule } from './rules.js';
