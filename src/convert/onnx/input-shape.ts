/**
 * Graph input shapes: what the model declares, and the `dynamic-shape` error for inputs whose dims
 * are not all static. The error names every such input and suggests an `--input-shape` value that
 * keeps the static dims, sets a batch axis (dim 0) to 1, and leaves a placeholder only for the other
 * unknown dims: the dim_param name where the model has one, `N` where it has none. When only the
 * batch was unknown, the suggestion is a complete, copy-pasteable option.
 */
import { inputError, type MaiError } from '../../core/errors.js';
import { num, type LongLike, type ValueInfoProto } from './proto.js';

/** A declared dim: a static size, a dim_param name, or undefined (unnamed / unknown). */
export type DeclaredDim = number | string | undefined;

export function declaredShape(vi: ValueInfoProto): DeclaredDim[] | undefined {
  const shape = vi.type?.tensorType?.shape;
  if (!shape) return undefined;
  return (shape.dim ?? []).map((d) => {
    // a dim_value of 0 set explicitly (the oneof says so) is a static empty axis; an unset one decodes as 0 too
    const explicit = (d as { value?: string }).value === 'dimValue';
    if (d.dimValue !== undefined && d.dimValue !== null && (explicit || num(d.dimValue as number | LongLike) > 0)) return num(d.dimValue as number | LongLike);
    return d.dimParam || undefined;
  });
}

export interface DynamicInput {
  name: string;
  /** Declared dims, or undefined when the model declares no shape at all. */
  dims: DeclaredDim[] | undefined;
}

/** A dim_param usable as a placeholder inside `d0,d1,…` (no separators or spaces), else `N`. */
function placeholder(d: string | undefined): string {
  return d && /^[^\s,='"]+$/.test(d) ? d : 'N';
}

/** Shell-safe `--input-shape name=dims` (quoted only when the name needs it). */
function option(name: string, dims: string[]): string {
  const arg = `${name}=${dims.join(',')}`;
  return `--input-shape ${/^[\w.:/=,+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`}`;
}

const dimLabel = (d: DeclaredDim) => (d === undefined ? 'unnamed' : `'${d}'`);

/** The suggested option for one input, and the placeholders the user must still replace. */
export function suggestInputShape(input: DynamicInput): { option: string; placeholders: string[]; batchSetTo1: boolean } {
  if (!input.dims) return { option: option(input.name, ['d0', 'd1', '…']), placeholders: ['d0', 'd1', '…'], batchSetTo1: false };
  const placeholders: string[] = [];
  let batchSetTo1 = false;
  const dims = input.dims.map((d, i) => {
    if (typeof d === 'number') return String(d);
    if (i === 0 && input.dims!.length >= 2) {
      batchSetTo1 = true;
      return '1';
    }
    const p = placeholder(d);
    if (!placeholders.includes(p)) placeholders.push(p);
    return p;
  });
  return { option: option(input.name, dims), placeholders, batchSetTo1 };
}

export function dynamicShapeError(inputs: DynamicInput[], file?: string): MaiError {
  const what = inputs.map(({ name, dims }) => {
    if (!dims) return `graph input '${name}' has no declared shape`;
    const open = dims.map((d, i) => (typeof d === 'number' ? -1 : i)).filter((i) => i >= 0);
    return `graph input '${name}' has dynamic dimension(s) ${open.map((i) => `${i} (${dimLabel(dims[i])})`).join(', ')} in [${dims.map((d) => d ?? 'N').join(',')}]`;
  });
  const suggestions = inputs.map(suggestInputShape);
  const command = suggestions.map((s) => s.option).join(' ');
  const todo = [...new Set(suggestions.flatMap((s) => s.placeholders))];
  const batch = suggestions.some((s) => s.batchSetTo1) ? ' (batch dim 0 set to 1)' : '';
  const hint = todo.length ? `pass ${command}, replacing ${todo.join(', ')} with the sizes to convert for${batch}` : `pass ${command}${batch}`;
  return inputError('dynamic-shape', `${file ? `${file}: ` : ''}${what.join('; ')}; TFLite needs static shapes`, { file, hint });
}
