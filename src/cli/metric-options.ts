/**
 * The task-metric options of `mai validate` and `mai metrics` (and of `mai quantize`'s task budget,
 * which takes the matting two): `--region` / `--unknown-kernel` for matting, `--crop` for bokeh.
 * Each is a commander `Option` for `.addOption(...)`; values arrive parsed.
 */
import { Option } from 'commander';
import { DEFAULT_UNKNOWN_KERNEL } from '../validate/metrics/unknown-region.js';
import { parseNonNegativeInt, parsePositiveInt, parseRegion } from './options.js';

/** What the options below leave in a command's parsed options. */
export interface MattingMetricOpts {
  region: 'unknown' | 'all';
  unknownKernel?: number;
}

export interface TaskMetricOpts extends MattingMetricOpts {
  crop?: number;
}

/** `--region unknown|all`; `scope` opens the help line. */
export function regionOption(scope = 'matting'): Option {
  return new Option('--region <r>', `${scope}: SAD/MSE/Grad/Conn over the unknown region or all pixels`).argParser(parseRegion).default('unknown');
}

export function unknownKernelOption(scope = 'matting'): Option {
  return new Option('--unknown-kernel <k>', `${scope}: k×k square that defines the unknown region (odd, default ${DEFAULT_UNKNOWN_KERNEL})`).argParser(
    parsePositiveInt('--unknown-kernel'),
  );
}

export function bokehCropOption(): Option {
  return new Option('--crop <px>', 'bokeh: border pixels dropped before PSNR/SSIM (default 0)').argParser(parseNonNegativeInt('--crop'));
}
