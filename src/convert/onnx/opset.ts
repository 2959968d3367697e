/** Opset resolution: the one place that reads `opset_import` and matches table rows' opset ranges. */
import type { ModelProto } from './proto.js';
import { num } from './proto.js';

export const DEFAULT_DOMAIN = '';

/** domain → imported opset version ('' and 'ai.onnx' are the same default domain). */
export function opsetVersions(model: ModelProto): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of model.opsetImport ?? []) {
    const domain = o.domain === 'ai.onnx' ? '' : (o.domain ?? '');
    m.set(domain, num(o.version));
  }
  // IR version 2 models without opset_import meant opset 1.
  if (!m.has('')) m.set('', 1);
  return m;
}

/** Does `version` lie in a range written '7', '7+', '1-12'? */
export function inRange(range: string, version: number): boolean {
  if (range.endsWith('+')) return version >= Number(range.slice(0, -1));
  const dash = range.indexOf('-');
  if (dash > 0) return version >= Number(range.slice(0, dash)) && version <= Number(range.slice(dash + 1));
  return version === Number(range);
}
