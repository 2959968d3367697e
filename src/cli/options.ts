import { inputError } from '../core/errors.js';

/**
 * Parses repeated `--input-shape name=1,3,512,512` values (also `1x3x512x512`).
 * Commander collects them through `collect`.
 */
export function parseInputShapes(values: string[] = []): Record<string, number[]> {
  const shapes: Record<string, number[]> = {};
  for (const v of values) {
    const eq = v.lastIndexOf('=');
    if (eq <= 0) throw inputError('bad-option', `--input-shape expects name=d0,d1,…, got '${v}'`);
    const name = v.slice(0, eq);
    const dims = v.slice(eq + 1).split(/[,x×]/).map((d) => Number(d.trim()));
    // 0 is an empty axis (an empty KV cache): what reads it folds at conversion (src/convert/onnx/empty.ts)
    if (!dims.length || dims.some((d) => !Number.isInteger(d) || d < 0)) {
      throw inputError('bad-option', `--input-shape ${name}: dimensions must be non-negative integers, got '${v.slice(eq + 1)}'`);
    }
    shapes[name] = dims;
  }
  return shapes;
}

/** `--outputs a,b` (repeatable): the names in order; empty names refused. */
export function parseOutputNames(values: string[] = []): string[] | undefined {
  const names = values.flatMap((v) => v.split(',')).map((n) => n.trim());
  if (!values.length) return undefined;
  if (names.some((n) => !n)) throw inputError('bad-option', `--outputs expects name[,name…], got '${values.join(',')}'`);
  return names;
}

export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

export function parsePositiveInt(flag: string) {
  return (value: string): number => {
    const n = Number(value);
    if (!Number.isInteger(n) || n <= 0) throw inputError('bad-option', `${flag} expects a positive integer, got '${value}'`);
    return n;
  };
}

export function parseTask(t: string): 'matting' | 'bokeh' {
  if (t !== 'matting' && t !== 'bokeh') throw inputError('bad-option', `--task must be matting or bokeh, got '${t}'`);
  return t;
}

export function parseRegion(r: string): 'unknown' | 'all' {
  if (r !== 'unknown' && r !== 'all') throw inputError('bad-option', `--region must be unknown or all, got '${r}'`);
  return r;
}

export function parseNonNegativeInt(flag: string) {
  return (v: string): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw inputError('bad-option', `${flag} expects a non-negative integer, got '${v}'`);
    return n;
  };
}
