import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Output } from '../output.js';
import { printJson, table } from '../output.js';
import { collect, parseInputShapes } from '../options.js';
import { readInputFile } from '../../core/read-input.js';

interface InspectOpts {
  json?: boolean;
  inputShape?: string[];
}

export function registerInspect(program: Command, output: Output): void {
  program
    .command('inspect')
    .description('inputs/outputs, op histogram, tensor count, weight bytes and FLOPs of a model (.onnx or .tflite)')
    .argument('<model>', 'model file')
    .option('--input-shape <name=dims>', 'static shape for an input with symbolic dims (ONNX)', collect, [])
    .option('--json', 'machine-readable output')
    .action(async (model: string, opts: InspectOpts) => {
      const { inspectModel } = await import('../../convert/inspect.js');
      const file = resolve(model);
      const bytes = await readInputFile(file);
      const info = inspectModel(bytes, file, parseInputShapes(opts.inputShape));
      if (opts.json) {
        printJson(output, info);
        return;
      }
      output.out(`${info.file}  (${info.format}, ${(info.fileBytes / 1024).toFixed(1)} KiB)`);
      const io = (list: typeof info.inputs) => list.map((t) => [t.name, t.dtype, `[${t.shape.join(',')}]`, t.layout]);
      output.out('\ninputs');
      output.out(table(io(info.inputs), ['name', 'dtype', 'shape', 'layout']));
      output.out('\noutputs');
      output.out(table(io(info.outputs), ['name', 'dtype', 'shape', 'layout']));
      output.out('\nops');
      output.out(table(Object.entries(info.ops).sort((a, b) => b[1] - a[1]), ['op', 'count']));
      output.out(
        `\n${info.nodeCount} ops, ${info.tensorCount} tensors, ${(info.weightBytes / 1024).toFixed(1)} KiB of weights, ${(info.flops / 1e6).toFixed(2)} MFLOPs`,
      );
    });
}
