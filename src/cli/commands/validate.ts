import type { Command } from 'commander';
import type { Output } from '../output.js';
import { table } from '../output.js';
import { parseNonNegativeInt, parsePositiveInt, parseTask } from '../options.js';
import { bokehCropOption, regionOption, unknownKernelOption, type TaskMetricOpts } from '../metric-options.js';
import { inputError, verdictError } from '../../core/errors.js';

interface ValidateOpts extends TaskMetricOpts {
  reference: string;
  candidate: string;
  data: string;
  task: string;
  budgets?: string;
  model?: string;
  limit?: number;
  mean?: string;
  std?: string;
  outputIndex: number;
  html?: string;
  htmlSamples: number;
  json?: boolean;
}

function numberList(flag: string, v: string | undefined): number[] | undefined {
  if (v === undefined) return undefined;
  const xs = v.split(',').map((s) => Number(s.trim()));
  if (!xs.length || xs.some((x) => !Number.isFinite(x))) throw inputError('bad-option', `${flag} expects comma-separated numbers, got '${v}'`);
  return xs;
}

export function registerValidate(program: Command, output: Output): void {
  program
    .command('validate')
    .description('run reference and candidate on the same samples: task metrics, agreement, budgets → PASS/WARN/FAIL, visual diff')
    .requiredOption('--reference <model>', 'reference model: .onnx (onnxruntime) or .tflite (LiteRT)')
    .requiredOption('--candidate <model>', 'candidate .tflite (LiteRT)')
    .requiredOption('--data <path>', 'dataset: EBB! (original/ + bokeh/), CelebAMat (img/ + mask/), a folder of images, or one image')
    .requiredOption('--task <task>', 'matting (output = alpha) or bokeh (output = image)')
    .option('--budgets <file>', 'budgets YAML (see budgets.yaml)')
    .option('--model <name>', 'name to look up in the budgets (default: candidate file stem)')
    .option('--limit <n>', 'first N samples (sorted by name)', parsePositiveInt('--limit'))
    .addOption(regionOption())
    .addOption(unknownKernelOption())
    .addOption(bokehCropOption())
    .option('--mean <r,g,b>', 'input normalisation: (x − mean) / std with x in [0,1] (default: plain [0,1])')
    .option('--std <r,g,b>', 'input normalisation std')
    .option('--output-index <i>', 'which model output is the alpha / image (both models)', parseNonNegativeInt('--output-index'), 0)
    .option('--html <file>', 'write a self-contained visual diff report')
    .option('--html-samples <n>', 'samples shown in the HTML report', parsePositiveInt('--html-samples'), 24)
    .option('--json', 'machine-readable output')
    .action(async (opts: ValidateOpts) => {
      const { validate } = await import('../../validate/validate.js');
      const { loadBudgets } = await import('../../validate/budgets.js');
      const { reportJson } = await import('../../validate/json.js');
      const { fmt, renderValidationHtml } = await import('../../validate/report-html.js');
      const { checkOutputPath, writeFileAtomic } = await import('../../core/fs-atomic.js');
      // output paths first: a missing folder is a usage error now, not after every model has run
      if (opts.html) checkOutputPath(opts.html, '--html');
      const task = parseTask(opts.task);
      const budgets = opts.budgets ? await loadBudgets(opts.budgets) : undefined;
      let bar: { start(total: number, v: number, p?: object): void; update(v: number, p?: object): void; stop(): void } | undefined;
      if (output.isTTY && !opts.json) {
        const cliProgress = (await import('cli-progress')).default;
        bar = new cliProgress.SingleBar(
          { format: 'validate [{bar}] {value}/{total} {sample}', stream: process.stderr, hideCursor: true, clearOnComplete: true },
          cliProgress.Presets.shades_classic,
        );
      }
      let started = false;
      let result;
      try {
        result = await validate({
          loadTfReference: async (bytes, file) => (await import('../../convert/tf/reference.js')).loadTfReference(bytes, file),
          reference: opts.reference,
          candidate: opts.candidate,
          data: opts.data,
          task,
          budgets,
          model: opts.model,
          limit: opts.limit,
          region: opts.region,
          unknownKernel: opts.unknownKernel,
          crop: opts.crop,
          scale: { mean: numberList('--mean', opts.mean), std: numberList('--std', opts.std) },
          outputIndex: opts.outputIndex,
          keepImages: opts.html ? opts.htmlSamples : 0,
          onProgress: (done, total, sample) => {
            if (!bar) return;
            if (!started) {
              bar.start(total, 0, { sample });
              started = true;
            }
            bar.update(done, { sample });
          },
        });
      } finally {
        bar?.stop();
      }
      const { report, images } = result;
      if (opts.html) {
        await writeFileAtomic(opts.html, await renderValidationHtml(report, images));
      }
      if (opts.json) {
        output.out(reportJson({ ...report, ...(opts.html ? { html: opts.html } : {}) }));
      } else {
        const r = report;
        output.out(`${r.model} (${r.task}): ${r.dataset.samples} samples from ${r.dataset.root}, ground truth: ${r.dataset.groundTruth}`);
        const keys = Object.keys(r.summary.reference);
        output.out(table(keys.map((k) => [k, fmt(r.summary.reference[k]), fmt(r.summary.candidate[k])]), ['metric', 'reference', 'candidate']));
        output.out('');
        output.out(table(Object.entries(r.summary.agreement).map(([k, v]) => [k, fmt(v)]), ['agreement', 'value']));
        for (const n of r.notes) output.out(`note: ${n}`);
        if (r.verdicts.length) {
          output.out('');
          output.out(table(r.verdicts.map((v) => [v.check, fmt(v.value), fmt(v.limit), fmt(v.margin), v.status]), ['check', 'value', 'limit', 'margin', 'status']));
        }
        for (const s of r.skipped) output.out(`skipped ${s.check}${s.limit !== undefined ? ` (limit ${fmt(s.limit)})` : ''}: ${s.reason}`);
        if (opts.html) output.out(`report: ${opts.html}`);
        output.out(`\n${r.verdicts.length ? r.status : 'no verdicts'}`);
      }
      if (report.status === 'FAIL') {
        const failed = report.verdicts.filter((v) => v.status === 'FAIL').map((v) => v.check);
        throw verdictError('budget-failed', `${failed.length} budget check(s) failed: ${failed.join(', ')}`, { reported: true });
      }
    });
}
