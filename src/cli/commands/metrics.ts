import type { Command } from 'commander';
import type { Output } from '../output.js';
import { table } from '../output.js';
import { parsePositiveInt, parseTask } from '../options.js';
import { bokehCropOption, regionOption, unknownKernelOption, type TaskMetricOpts } from '../metric-options.js';

interface MetricsOpts extends TaskMetricOpts {
  task: string;
  pred: string;
  gt: string;
  limit?: number;
  json?: boolean;
}

export function registerMetrics(program: Command, output: Output): void {
  program
    .command('metrics')
    .description('task metrics of predictions made elsewhere against ground truth (files, or folders paired by name)')
    .requiredOption('--task <task>', 'matting (SAD, MSE, Grad, Conn, IoU) or bokeh (PSNR, SSIM)')
    .requiredOption('--pred <path>', 'predicted alpha / image, or a folder of them')
    .requiredOption('--gt <path>', 'ground truth file, folder, or dataset root (CelebAMat mask/, EBB! bokeh/)')
    .option('--limit <n>', 'first N pairs (sorted by name)', parsePositiveInt('--limit'))
    .addOption(regionOption())
    .addOption(unknownKernelOption())
    .addOption(bokehCropOption())
    .option('--json', 'machine-readable output')
    .action(async (opts: MetricsOpts) => {
      const { compareFiles } = await import('../../validate/compare-files.js');
      const { reportJson } = await import('../../validate/json.js');
      const { fmt } = await import('../../validate/report-html.js');
      const report = await compareFiles({
        task: parseTask(opts.task),
        pred: opts.pred,
        gt: opts.gt,
        limit: opts.limit,
        region: opts.region,
        unknownKernel: opts.unknownKernel,
        crop: opts.crop,
      });
      if (opts.json) {
        output.out(reportJson(report));
        return;
      }
      const keys = Object.keys(report.mean);
      const rows = report.samples.map((s) => [s.name + (s.resized ? ' (gt resized)' : ''), ...keys.map((k) => fmt(s.metrics[k]))]);
      rows.push(['mean', ...keys.map((k) => fmt(report.mean[k]))]);
      output.out(table(rows, ['sample', ...keys]));
    });
}
