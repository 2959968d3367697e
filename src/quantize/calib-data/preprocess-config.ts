/**
 * How calibration images become model inputs, declared by CLI flags or a YAML
 * file (`--preprocess FILE.yaml`), validated with zod; every error names
 * `file:line: field` (or the flag).
 *
 * ```yaml
 * resize: stretch        # stretch (default) | fit (keep aspect, pad) | cover (keep aspect, centre crop)
 * crop: [0, 0, 512, 512] # optional [x, y, width, height] in source pixels, taken before resizing
 * channels: rgb          # rgb (default) | bgr
 * mean: [0.485, 0.456, 0.406]   # value = (pixel − mean) / std with pixel in [0, 1]
 * std:  [0.229, 0.224, 0.225]
 * range: [-1, 1]         # or: map pixel [0, 1] linearly onto [lo, hi] (not with mean/std)
 * layout: auto           # auto (from the model input shape, default) | nhwc | nchw
 * padValue: 0            # fit: value of the padding, in [0, 1] pixel units
 * ```
 */
import { readInputText } from '../../core/read-input.js';
import { z } from 'zod';
import { inputError } from '../../core/errors.js';
import { parseYamlWithLines, yamlLineAt, yamlNodeLine } from '../../core/yaml-lines.js';

export type ResizePolicy = 'stretch' | 'fit' | 'cover';

export interface Preprocess {
  resize: ResizePolicy;
  crop?: { x: number; y: number; width: number; height: number };
  channels: 'rgb' | 'bgr';
  mean?: number[];
  std?: number[];
  range?: [number, number];
  layout: 'auto' | 'NHWC' | 'NCHW';
  padValue: number;
}

export const DEFAULT_PREPROCESS: Preprocess = { resize: 'stretch', channels: 'rgb', layout: 'auto', padValue: 0 };

const perChannel = z.union([z.number(), z.array(z.number()).min(1).max(4)]).transform((v) => (Array.isArray(v) ? v : [v]));

const schema = z
  .strictObject({
    resize: z.enum(['stretch', 'fit', 'cover']).optional(),
    crop: z.tuple([z.number().int().min(0), z.number().int().min(0), z.number().int().positive(), z.number().int().positive()], {
      error: 'expected [x, y, width, height] (integers, width and height > 0)',
    }).optional(),
    channels: z.enum(['rgb', 'bgr']).optional(),
    mean: perChannel.optional(),
    std: perChannel.refine((s) => s.every((x) => x !== 0), { message: 'std must not be 0' }).optional(),
    range: z
      .tuple([z.number(), z.number()], { error: 'expected [lo, hi]' })
      .refine(([lo, hi]) => hi !== lo, { message: 'range needs lo ≠ hi' })
      .optional(),
    layout: z.enum(['auto', 'nhwc', 'nchw', 'NHWC', 'NCHW']).optional(),
    padValue: z.number().optional(),
  })
  .refine((p) => !(p.range && (p.mean || p.std)), { message: 'range and mean/std are exclusive: give one of them', path: ['range'] });

type Raw = z.input<typeof schema>;

const KEYS = ['resize', 'crop', 'channels', 'mean', 'std', 'range', 'layout', 'padValue'];

function normalize(p: z.output<typeof schema>, base: Preprocess = DEFAULT_PREPROCESS): Preprocess {
  const out: Preprocess = { ...base };
  if (p.resize) out.resize = p.resize;
  if (p.crop) out.crop = { x: p.crop[0], y: p.crop[1], width: p.crop[2], height: p.crop[3] };
  if (p.channels) out.channels = p.channels;
  if (p.mean) out.mean = p.mean;
  if (p.std) out.std = p.std;
  if (p.range) {
    out.range = p.range;
    delete out.mean;
    delete out.std;
  } else if (p.mean || p.std) delete out.range;
  if (p.layout) out.layout = p.layout === 'auto' ? 'auto' : (p.layout.toUpperCase() as 'NHWC' | 'NCHW');
  if (p.padValue !== undefined) out.padValue = p.padValue;
  return out;
}

/** Parse and validate a preprocessing YAML text; errors read `file:line: field: message`. */
export function parsePreprocessYaml(text: string, file = '<preprocess>'): Preprocess {
  const { doc, lc } = parseYamlWithLines(text, file, 'preprocess-invalid', { file, hint: 'fix the YAML syntax at that line' });
  const data: unknown = doc.toJS() ?? {};
  const parsed = schema.safeParse(data);
  if (!parsed.success) {
    const msgs = parsed.error.issues.map((issue) => {
      let path = issue.path.map(String);
      let message = issue.message;
      if (issue.code === 'unrecognized_keys') {
        path = [...path, issue.keys[0]!];
        message = `unknown field (expected one of: ${KEYS.join(', ')})`;
      }
      // the line of the deepest key on the path, else where the document starts
      const at = yamlLineAt(doc.contents, lc, path);
      const line = at.line ?? yamlNodeLine(lc, doc.contents) ?? 1;
      return `${file}:${line}: ${path.length ? path.join('.') : '(top level)'}: ${message}`;
    });
    throw inputError('preprocess-invalid', msgs[0]!, {
      file,
      hint: msgs.length > 1 ? `${msgs.length} problems:\n    ${msgs.join('\n    ')}` : 'fields: resize, crop, channels, mean, std, range, layout, padValue',
    });
  }
  return normalize(parsed.data);
}

export async function loadPreprocessFile(path: string): Promise<Preprocess> {
  return parsePreprocessYaml(await readInputText(path, 'preprocess'), path);
}

/** The preprocessing flags of `mai quantize`, as strings from commander. */
export interface PreprocessFlags {
  resize?: string;
  crop?: string;
  bgr?: boolean;
  mean?: string;
  std?: string;
  range?: string;
  layout?: string;
}

const FLAG_OF: Record<string, string> = { resize: '--resize', crop: '--crop', channels: '--bgr', mean: '--mean', std: '--std', range: '--range', layout: '--layout' };

function numbers(flag: string, v: string): number[] {
  const xs = v.split(/[,x]/).map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isFinite(x))) throw inputError('bad-option', `${flag} expects comma-separated numbers, got '${v}'`);
  return xs;
}

/** Flags on top of `base` (the YAML file's settings, or the defaults); flags win. */
export function preprocessFromFlags(flags: PreprocessFlags, base: Preprocess = DEFAULT_PREPROCESS): Preprocess {
  const raw: Raw = {};
  if (flags.resize !== undefined) raw.resize = flags.resize as Raw['resize'];
  if (flags.crop !== undefined) raw.crop = numbers('--crop', flags.crop) as Raw['crop'];
  if (flags.bgr) raw.channels = 'bgr';
  if (flags.mean !== undefined) raw.mean = numbers('--mean', flags.mean);
  if (flags.std !== undefined) raw.std = numbers('--std', flags.std);
  if (flags.range !== undefined) raw.range = numbers('--range', flags.range) as Raw['range'];
  if (flags.layout !== undefined) raw.layout = flags.layout as Raw['layout'];
  const parsed = schema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = String(issue.path[0] ?? '');
    throw inputError('bad-option', `${FLAG_OF[field] ?? field}: ${issue.message}`);
  }
  return normalize(parsed.data, base);
}
