import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Output } from '../output.js';
import { printJson, table } from '../output.js';
import { collect, parseInputShapes, parseOutputNames } from '../options.js';
import { readModelInput } from '../../core/read-model.js';
import type { GpuInspect, TensorInfo, TfliteSummary } from '../../convert/inspect.js';
import { GPU_TARGETS, resolveTarget } from '../../convert/gpu/targets.js';

interface InspectOpts {
  json?: boolean;
  inputShape?: string[];
  outputs?: string[];
  target: string;
}

/** GPU column of the op histogram: `delegated`, or `CPU: rule` (with counts when an op type is mixed). */
function gpuColumn(gpu: GpuInspect, op: string): string {
  const rows = gpu.ops.filter((o) => o.op === op);
  const cpu = rows.filter((o) => o.verdict === 'cpu');
  if (cpu.length === 0) return 'delegated';
  const rules = [...new Set(cpu.map((o) => o.rule!))].join(', ');
  return cpu.length === rows.length ? `CPU: ${rules}` : `${rows.length - cpu.length} delegated, ${cpu.length} CPU: ${rules}`;
}

function printGpu(output: Output, gpu: GpuInspect): void {
  output.out(
    `GPU (${gpu.target}): ${gpu.delegatedOps} of ${gpu.ops.length} ops delegated in ${gpu.delegatePartitions} delegate partition(s) (max ${gpu.maxDelegatedPartitions}; ${gpu.supportedSubsets} supported subset(s))${gpu.fullyDelegated ? ', fully delegated' : ''}`,
  );
  const cpu = gpu.ops.filter((o) => o.verdict === 'cpu');
  if (cpu.length) {
    output.out(`CPU ops (${cpu.length}):`);
    output.out(table(cpu.map((o) => [o.index, o.node, o.op, o.rule!, o.message!]), ['#', 'node', 'op', 'rule', 'message']));
  }
}

const io = (list: TensorInfo[]) => list.map((t) => [t.name, t.dtype, `[${t.shape.join(',')}]`, t.layout ?? '']);
const mflops = (f: number) => `${(f / 1e6).toFixed(2)} MFLOPs`;

function printSummary(output: Output, s: TfliteSummary, title: string): void {
  output.out(`\n${title} inputs`);
  output.out(table(io(s.inputs), ['name', 'dtype', 'shape', 'layout']));
  output.out(`\n${title} outputs`);
  output.out(table(io(s.outputs), ['name', 'dtype', 'shape', 'layout']));
  output.out(`\n${title} ops`);
  output.out(table(Object.entries(s.ops).sort((a, b) => b[1] - a[1]).map(([op, n]) => [op, n, gpuColumn(s.gpu, op)]), ['op', 'count', `GPU (${s.gpu.target})`]));
  output.out(`${s.nodeCount} ops, ${s.tensorCount} tensors, ${(s.weightBytes / 1024).toFixed(1)} KiB of weights, ${mflops(s.flops)}`);
  printGpu(output, s.gpu);
}

export function registerInspect(program: Command, output: Output): void {
  program
    .command('inspect')
    .description('inputs/outputs, op histogram, tensor count, weight bytes and FLOPs of a model (.onnx, .tflite, TF graph); for ONNX and TF graphs also what `mai convert` makes of it')
    .argument('<model>', 'model file')
    .option('--input-shape <name=dims>', 'static shape for an input with symbolic dims (ONNX, TF graphs)', collect, [])
    .option('--outputs <names>', 'describe only these outputs (comma-separated) and the nodes they need (ONNX, TF graphs)', collect, [])
    .option('--target <device>', `GPU delegate rules the per-op verdict uses; known: ${GPU_TARGETS.map((t) => t.id).join(', ')}`, GPU_TARGETS[0]!.id)
    .option('--json', 'machine-readable output')
    .action(async (model: string, opts: InspectOpts) => {
      const { inspectModel } = await import('../../convert/inspect.js');
      const target = resolveTarget(opts.target);
      const file = resolve(model);
      const bytes = await readModelInput(file);
      const info = inspectModel(bytes, file, parseInputShapes(opts.inputShape), target, parseOutputNames(opts.outputs));
      if (opts.json) {
        printJson(output, info);
        return;
      }
      output.out(`${info.file}  (${info.sourceFormat ?? info.format}${info.opset ? `, opset ${info.opset}` : ''}, ${(info.fileBytes / 1024).toFixed(1)} KiB)`);
      if (info.format === 'tflite') {
        printSummary(output, { ...info, gpu: info.gpu! }, 'tflite');
        return;
      }
      output.out('\ninputs');
      output.out(table(io(info.inputs), ['name', 'dtype', 'shape']));
      output.out('\noutputs');
      output.out(table(io(info.outputs), ['name', 'dtype', 'shape']));
      output.out(info.format === 'tf-graph' ? '\ntf ops' : '\nonnx ops');
      output.out(table(Object.entries(info.ops).sort((a, b) => b[1] - a[1]), ['op', 'count']));
      output.out(`${info.nodeCount} nodes, ${(info.weightBytes / 1024).toFixed(1)} KiB of weights`);
      const c = info.conversion!;
      if (c.ok) {
        printSummary(output, c.tflite, 'converted (mai convert, defaults):');
      } else {
        output.out(`\nnot convertible yet: ${c.message}`);
        for (const d of c.diagnostics) output.out(`  ${d.node ?? '-'}${d.opType ? ` (${d.opType})` : ''}: ${d.reason}: ${d.message}`);
      }
    });
}
