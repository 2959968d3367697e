import type { Command } from 'commander';
import { resolve } from 'node:path';
import type { Output } from '../output.js';
import { printJson, table } from '../output.js';
import { collect, parseInputShapes, parseOutputNames } from '../options.js';
import { readModelInput } from '../../core/read-model.js';
import { inputError, verdictError } from '../../core/errors.js';
import { GPU_TARGETS, resolveTarget } from '../../convert/gpu/targets.js';
import type { GpuVerdict } from '../../convert/gpu/verdict.js';

interface ConvertOpts {
  output?: string;
  inputShape?: string[];
  outputs?: string[];
  keepIoLayout?: boolean;
  channelsLastOutputs?: boolean;
  signature?: string;
  check?: boolean;
  target?: string;
  allowCpuFallback?: boolean;
  passes?: string;
  listPasses?: boolean;
  verbose?: boolean;
  json?: boolean;
}

/** The GPU part of the report: counts and every op that would run on the CPU. */
function gpuSummary(v: GpuVerdict) {
  return {
    target: v.target,
    fullyDelegated: v.fullyDelegated,
    delegatePartitions: v.delegatePartitions,
    maxDelegatedPartitions: v.maxDelegatedPartitions,
    supportedSubsets: v.supportedSubsets,
    delegatedOps: v.delegatedOps,
    cpuOps: v.cpuOps.map((o) => ({ node: o.node, op: o.op, index: o.index, rules: o.rules })),
  };
}

export function registerConvert(program: Command, output: Output): void {
  program
    .command('convert')
    .description('convert an ONNX model or a TF graph to a float TFLite file (NHWC, fused, GPU-delegate friendly)')
    .argument('[model]', 'source model (.onnx, TensorFlow.js model.json, frozen GraphDef .pb, SavedModel directory)')
    .option('-o, --output <file>', 'where to write the .tflite (required)')
    .option('--input-shape <name=dims>', 'static shape for an input with symbolic dims, e.g. input=1,3,512,512 (repeatable)', collect, [])
    .option('--outputs <names>', 'keep only these outputs (graph outputs or intermediate values / TF tensors, comma-separated) and what they need, e.g. to leave out post-processing', collect, [])
    .option('--keep-io-layout', 'keep NCHW inputs/outputs (one TRANSPOSE at each end) instead of NHWC')
    .option('--channels-last-outputs', 'ONNX: return 3-D outputs [N,C,L] the graph computes channels-last as [N,L,C], without the final TRANSPOSE (e.g. YOLO heads); other outputs keep their layout (see the note / `mai inspect`)')
    .option('--signature <name>', 'TF SavedModel: the signature to convert (default serving_default)')
    .option('--check', 'run the source in its reference runtime (onnxruntime; TensorFlow.js for TF graphs) and the .tflite in LiteRT on seeded inputs; exit 1 beyond tolerance')
    .option('--target <device>', `fail (exit 1, nothing written) if any op would run outside the device's GPU delegate; known: ${GPU_TARGETS.map((t) => t.id).join(', ')}`)
    .option('--allow-cpu-fallback', 'with --target: write the file anyway and print the CPU ops as warnings')
    .option('--passes <ids>', 'run these passes (comma-separated ids, in this order) instead of the default pipeline')
    .option('--list-passes', 'list every registered pass (id, phase, summary, transactional, in the default pipeline) and exit')
    .option('--verbose', 'list what each pass applied or declined, and why')
    .option('--json', 'machine-readable output')
    .action(async (model: string | undefined, opts: ConvertOpts, command: Command) => {
      if (opts.listPasses) {
        if (model !== undefined) command.error('error: --list-passes takes no model', { code: 'commander.excessArguments' });
        const passes = (await import('../../convert/passes/registry.js')).passList();
        if (opts.json) printJson(output, { passes });
        else {
          const inDefault = (p: (typeof passes)[number]) => (p.inDefaultPipeline ? 'yes' : p.runBy ? `in ${p.runBy}` : 'no');
          output.out(table(passes.map((p) => [p.id, p.phase, inDefault(p), p.transactional ? 'yes' : 'no', p.summary]), ['id', 'phase', 'default', 'transactional', 'summary']));
        }
        return;
      }
      if (model === undefined) command.error("error: missing required argument 'model'", { code: 'commander.missingArgument' });
      if (opts.output === undefined) command.error("error: required option '-o, --output <file>' not specified", { code: 'commander.missingMandatoryOptionValue' });
      const target = opts.target !== undefined ? resolveTarget(opts.target) : undefined;
      if (opts.allowCpuFallback && !target) throw inputError('bad-option', '--allow-cpu-fallback needs --target <device>', { hint: `known targets: ${GPU_TARGETS.map((t) => t.id).join(', ')}` });
      const { convertGraph } = await import('../../convert/index.js');
      const { writeTflite, writeTfliteWithHoles } = await import('../../tflite/writer.js');
      const passes = opts.passes === undefined ? undefined : (await import('../../convert/passes/registry.js')).passesByIds(opts.passes.split(',').map((s) => s.trim()).filter(Boolean));
      const { graphFlops } = await import('../../ir/flops.js');
      const { cpuOpLines, gpuVerdict } = await import('../../convert/gpu/verdict.js');
      const { importNotes } = await import('../../convert/onnx/context.js');
      const { reportJson } = await import('../../validate/json.js');
      const { readInputFile } = await import('../../core/read-input.js');
      const { checkNotSameFile, checkOutputPath, writeFileAtomic } = await import('../../core/fs-atomic.js');
      const file = resolve(model);
      const outPath = resolve(opts.output);
      checkOutputPath(opts.output, '-o');
      checkNotSameFile(file, outPath, '-o');
      const inputShapes = parseInputShapes(opts.inputShape);
      const bytes = await readModelInput(file);
      const outputs = parseOutputNames(opts.outputs);
      const started = performance.now();
      const result = convertGraph({ bytes, file, inputShapes, keepIoLayout: Boolean(opts.keepIoLayout), channelsLastOutputs: Boolean(opts.channelsLastOutputs), signature: opts.signature, outputs, passes });
      // --check runs the whole file in LiteRT; otherwise the weights are permuted only on their
      // way to the file (writeTfliteWithHoles), so the output never holds them all in memory.
      const tflite = opts.check ? writeTflite(result.graph) : writeTfliteWithHoles(result.graph);
      const tfliteBytes = tflite instanceof Uint8Array ? tflite : tflite.bytes;
      const ms = performance.now() - started;
      const gpu = target ? gpuVerdict(result.graph, { ...target.options, target: target.id }) : undefined;
      // Without --allow-cpu-fallback a model that would not run wholly on the GPU is not written:
      // a .tflite that silently runs on the CPU is what --target exists to prevent.
      const blocked = gpu !== undefined && !gpu.fullyDelegated && !opts.allowCpuFallback;
      const histogram: Record<string, number> = {};
      for (const n of result.graph.nodes) histogram[n.op] = (histogram[n.op] ?? 0) + 1;
      let check: Awaited<ReturnType<typeof import('../../convert/check.js')['checkSource']>> | undefined;
      if (opts.check && !blocked) {
        // Before writing: a check that cannot run (exit 2/3) leaves no output behind. A check
        // that runs and fails is a verdict (exit 1); the file is still written for inspection.
        const { checkSource } = await import('../../convert/check.js');
        check = await checkSource(bytes, tfliteBytes, result.graph, { file, signature: opts.signature, outputs });
      }
      if (!blocked) await writeFileAtomic(outPath, tflite);
      const summary = {
        model: file,
        output: outPath,
        bytes: tfliteBytes.byteLength,
        convertMs: Math.round(ms * 10) / 10,
        ops: histogram,
        nodes: result.graph.nodes.length,
        flops: graphFlops(result.graph),
        inputs: result.graph.inputs.map((n) => ({ name: n, shape: result.graph.tensor(n).shape, dtype: result.graph.tensor(n).dtype })),
        outputs: result.graph.outputs.map((n) => ({ name: n, shape: result.graph.tensor(n).shape, dtype: result.graph.tensor(n).dtype, layout: result.graph.tensor(n).layout })),
        passes: result.passes.map((p) => ({
          id: p.id,
          status: p.status,
          message: p.message,
          ...(opts.verbose && p.declines?.length ? { declines: p.declines } : {}),
          ...(opts.verbose && p.steps ? { steps: p.steps.map((s) => ({ id: s.id, status: s.status, message: s.message })) } : {}),
        })),
        ...(check ? { check } : {}),
        ...(gpu ? { gpu: gpuSummary(gpu) } : {}),
        ...(importNotes(result.graph).length ? { notes: importNotes(result.graph) } : {}),
        written: !blocked,
      };
      if (opts.json) output.out(reportJson(summary));
      else if (blocked) {
        output.out(`not written: ${gpu!.cpuOps.length} of ${gpu!.ops.length} ops would run on the CPU on ${gpu!.target} (${gpu!.delegatePartitions} delegate partition(s) of max ${gpu!.maxDelegatedPartitions}):`);
        for (const line of cpuOpLines(gpu!)) output.out(`  ${line}`);
        output.out('fix the model, or pass --allow-cpu-fallback to write it anyway');
      } else {
        if (gpu && !gpu.fullyDelegated) {
          output.err(`warning: ${gpu.cpuOps.length} of ${gpu.ops.length} ops would run on the CPU on ${gpu.target}:`);
          for (const line of cpuOpLines(gpu)) output.err(`warning:   ${line}`);
        } else if (gpu) output.out(`GPU (${gpu.target}): all ${gpu.ops.length} ops delegated, ${gpu.delegatePartitions} partition(s)`);
        output.out(`wrote ${summary.output} (${(summary.bytes / 1024).toFixed(1)} KiB, ${summary.nodes} ops, ${(summary.flops / 1e6).toFixed(1)} MFLOPs) in ${summary.convertMs} ms`);
        output.out(`ops: ${Object.entries(histogram).map(([k, v]) => `${k}×${v}`).join(' ')}`);
        for (const note of importNotes(result.graph)) output.out(`note: ${note}`);
        if (opts.verbose) {
          for (const p of result.passes) {
            output.out(`pass ${p.id}: ${p.status}: ${p.message}`);
            for (const d of p.declines ?? []) output.out(`  declined ${d}`);
            for (const s of p.steps ?? []) output.out(`  step ${s.id}: ${s.status}: ${s.message}`);
          }
        }
        if (check) {
          const rows = (list: typeof check.outputs, judged: boolean) =>
            list.map((o) => [o.name, o.maxAbs.toExponential(2), o.meanAbs.toExponential(2), o.rmse.toExponential(2), o.cosine.toFixed(6), judged ? o.limit.toExponential(1) : '-', judged ? (o.pass ? 'PASS' : 'FAIL') : '-']);
          const head = ['output', 'max_abs', 'mean_abs', 'rmse', 'cosine', 'limit', 'verdict'];
          output.out(`check: ${check.reference} vs ${check.candidate}, seed ${check.seed}${check.floatReference ? ` — against the source's float32 computation (${check.floatReference.join('; ')})` : ''}`);
          output.out(table(rows(check.outputs, true), head));
          if (check.asWritten) {
            output.out('against the source as written (onnxruntime in its own precision; not judged):');
            output.out(table(rows(check.asWritten, false), head));
          }
        }
      }
      if (blocked) {
        throw verdictError('gpu-fallback', `${gpu!.cpuOps.length} op(s) would run on the CPU on ${gpu!.target}: ${gpu!.cpuOps.map((o) => `${o.node} (${o.op}, ${o.rules[0]!.rule})`).join(', ')}`, {
          reported: true,
          file,
        });
      }
      if (check && !check.pass) {
        throw verdictError('check-failed', `converted model differs from the source beyond tolerance (${check.outputs.filter((o) => !o.pass).map((o) => o.name).join(', ')})`, { reported: true });
      }
    });
}
