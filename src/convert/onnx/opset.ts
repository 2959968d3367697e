/** Opset resolution: the one place that reads `opset_import` and matches table rows' opset ranges. */
import { inputError } from '../../core/errors.js';
import type { ModelProto } from './proto.js';
import { num } from './proto.js';

export const DEFAULT_DOMAIN = '';

/** domain → imported opset version ('' and 'ai.onnx' are the same default domain), as declared: no defaults. */
export function opsetVersions(model: ModelProto): Map<string, number> {
  const m = new Map<string, number>();
  for (const o of model.opsetImport ?? []) {
    const domain = o.domain === 'ai.onnx' ? '' : (o.domain ?? '');
    m.set(domain, num(o.version));
  }
  return m;
}

/**
 * The default-domain opset the model imports. The ONNX spec requires every ModelProto to import the
 * ai.onnx operator set; onnxruntime refuses a model with no opset_import at all ("Missing opset in the
 * model"), and with only other domains it silently assumes its own newest opset — so op semantics
 * (Softmax's axis, Clip's bounds, Resize's modes…) would be a guess. Rejected, naming the file.
 */
export function defaultOpset(model: ModelProto, file?: string): number {
  const v = opsetVersions(model).get(DEFAULT_DOMAIN);
  if (v !== undefined) return v;
  const declared = [...opsetVersions(model)].map(([d, n]) => `${d} ${n}`);
  throw inputError(
    'onnx-no-opset',
    `${file ?? 'the ONNX model'} declares no opset for the default ONNX domain (opset_import: ${declared.length ? declared.join(', ') : 'empty'}); the ONNX spec requires one and the op semantics depend on it`,
    { file, hint: 're-export with an explicit opset (torch.onnx.export(..., opset_version=N)) or add it in Python: model.opset_import.append(onnx.helper.make_opsetid("", N))' },
  );
}

/** Does `version` lie in a range written '7', '7+', '1-12'? */
export function inRange(range: string, version: number): boolean {
  if (range.endsWith('+')) return version >= Number(range.slice(0, -1));
  const dash = range.indexOf('-');
  if (dash > 0) return version >= Number(range.slice(0, dash)) && version <= Number(range.slice(dash + 1));
  return version === Number(range);
}

/** The opsets a set of ranges covers, adjacent ranges joined: ['1-6', '7+'] → '1+', ['7-8', '9', '11+'] → '7-9, 11+'. */
export function joinRanges(ranges: readonly string[]): string {
  const spans = ranges
    .map((r): [number, number] => {
      if (r.endsWith('+')) return [Number(r.slice(0, -1)), Infinity];
      const dash = r.indexOf('-');
      return dash > 0 ? [Number(r.slice(0, dash)), Number(r.slice(dash + 1))] : [Number(r), Number(r)];
    })
    .sort((a, b) => a[0] - b[0]);
  const joined: Array<[number, number]> = [];
  for (const [lo, hi] of spans) {
    const last = joined[joined.length - 1];
    if (last && lo <= last[1] + 1) last[1] = Math.max(last[1], hi);
    else joined.push([lo, hi]);
  }
  return joined.map(([lo, hi]) => (hi === Infinity ? `${lo}+` : lo === hi ? `${lo}` : `${lo}-${hi}`)).join(', ');
}
