/**
 * Deployment targets `mai convert --target` knows: each names the delegate rule set the phone runs
 * and its options. A new phone is one row here.
 */
import { inputError } from '../../core/errors.js';
import type { GpuCheckOptions } from './check.js';

export interface GpuTarget {
  id: string;
  description: string;
  /** The delegate whose rules apply (today only the classic V2 GPU delegate, OpenCL-first: rules.ts). */
  delegate: 'gpu-v2-opencl';
  /** Options of the delegate as the app creates it (TfLiteGpuDelegateOptionsV2Default unless said). */
  options: Required<GpuCheckOptions>;
}

export const GPU_TARGETS: readonly GpuTarget[] = [
  {
    id: 'kirin9000',
    description: 'Huawei Kirin 9000 (Mali-G78 MP24): TFLite GPU delegate V2 on OpenCL, default options (1 delegated partition, quant on)',
    delegate: 'gpu-v2-opencl',
    options: { maxDelegatedPartitions: 1, allowQuant: true },
  },
];

/** The target named `id` (case-insensitive); exit 2 listing the known ones otherwise. */
export function resolveTarget(id: string): GpuTarget {
  const t = GPU_TARGETS.find((x) => x.id === id.toLowerCase());
  if (t) return t;
  throw inputError('unknown-target', `unknown target '${id}'; known targets: ${GPU_TARGETS.map((x) => x.id).join(', ')}`, {
    hint: GPU_TARGETS.map((x) => `${x.id}: ${x.description}`).join('\n'),
  });
}
