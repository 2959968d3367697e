/**
 * Full-integer (int8) post-training quantization of a float graph from
 * calibration statistics, per the TFLite quantization spec (notes §3):
 * symmetric per-channel int8 weights, int32 biases at in_scale × w_scale[c],
 * asymmetric per-tensor int8 activations, fixed and shared parameters where the
 * kernels demand them. Nodes that cannot run in int8 stay float behind
 * DEQUANTIZE / QUANTIZE; the model boundary is float unless `io` says otherwise.
 */
import type { Graph } from '../ir/graph.js';
import type { Node } from '../ir/node.js';
import { isConstant, numElements, type QuantParams, type Tensor } from '../ir/tensor.js';
import { assertValid } from '../ir/verify.js';
import { inputError } from '../core/errors.js';
import { restoreFp16Constants } from './keep-fp16.js';
import { foldConstantDequantize } from './fold-dequantize.js';
import { FUSES_RELU_FAMILY, fuseActivations } from '../convert/passes/fuse-activation.js';
import { INT8_RULES, noKernelReason, type FixedParams, type Int8Rule } from './int8-rules.js';
import { int8Params } from './int8-params.js';
import { quantizeBias, quantizePerTensor, quantizeWeightSymmetric } from './quantize-data.js';
import type { CalibrationStats } from './calibrate.js';
import type { Int8Options, Int8Result, KeptFloat, QuantizedTensorInfo } from './types.js';

/** Producers that take a RELU before int8: not DIV, which stays float (int8-rules.ts) with its activation a separate op. */
const INT8_FUSING_PRODUCERS: ReadonlySet<string> = new Set([...FUSES_RELU_FAMILY].filter((op) => op !== 'DIV'));

interface Params extends FixedParams {
  lo: number;
  hi: number;
}

/** Union-find over tensor names (tensors that must share int8 parameters). */
class Groups {
  private parent = new Map<string, string>();
  find(x: string): string {
    let p = this.parent.get(x) ?? x;
    if (p !== x) {
      p = this.find(p);
      this.parent.set(x, p);
    }
    return p;
  }
  union(a: string, b: string): void {
    const ra = this.find(a);
    const rb = this.find(b);
    if (ra !== rb) this.parent.set(rb, ra);
  }
}

const isFloatActivation = (t: Tensor | undefined): t is Tensor => !!t && t.dtype === 'float32' && !isConstant(t);

function constRange(t: Tensor): { lo: number; hi: number } {
  const d = t.data as Float32Array;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < d.length; i++) {
    const v = d[i]!;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return d.length ? { lo, hi } : { lo: 0, hi: 0 };
}

/** Why node `n` must stay float, or undefined when it can run in int8. */
function floatReason(n: Node, g: Graph, stats: CalibrationStats, keep: ReadonlySet<string> | undefined): string | undefined {
  if (keep?.has(n.name)) return 'kept float as asked (keepFloat)';
  const rule = INT8_RULES[n.op];
  if (!rule) return noKernelReason(n);
  const own = rule.check?.(n, g);
  if (own) return own;
  for (const name of [...n.inputs, ...n.outputs]) {
    if (!name) continue;
    const t = g.tensor(name);
    if (isFloatActivation(t) && !stats.has(name)) return `no calibration statistics for tensor '${name}'`;
    if (t.dtype !== 'float32' && t.dtype !== 'int32' && t.dtype !== 'int64') return `tensor '${name}' is ${t.dtype}`;
  }
  for (const o of n.outputs) if (g.tensor(o).dtype !== 'float32') return `output '${o}' is ${g.tensor(o).dtype}, not float`;
  return undefined;
}

/** Inputs of `n` that carry quantized values of the data stream (float, neither weight nor bias). */
function dataInputs(n: Node, rule: Int8Rule, g: Graph): string[] {
  return n.inputs.filter((name, i) => !!name && i !== rule.weight?.input && i !== rule.bias && g.tensor(name).dtype === 'float32');
}

export function quantizeInt8(input: Graph, stats: CalibrationStats, opts: Int8Options = {}): Int8Result {
  const io = opts.io ?? 'float';
  const g = input.clone();
  foldConstantDequantize(g);
  // a lone RELU after a conv (graphs read from .tflite keep them apart) is folded into it as TFLite's
  // converter does: the conv's int8 range then starts at the clamp instead of spending levels below it
  if (opts.fuseActivations !== false) fuseActivations(g, { producers: INT8_FUSING_PRODUCERS, keep: opts.keepFloat });
  const keptFloat: KeptFloat[] = [];
  const q = new Set<Node>();
  for (const n of g.nodes) {
    const touchesFloat = [...n.inputs, ...n.outputs].some((x) => x && g.tensor(x).dtype === 'float32');
    if (!touchesFloat) continue;
    const reason = floatReason(n, g, stats, opts.keepFloat);
    if (reason) keptFloat.push({ node: n.name, op: n.op, reason });
    else q.add(n);
  }

  // --- parameters of every quantized value (activations and non-weight constants) -------------
  const groups = new Groups();
  const fixedOf = new Map<string, FixedParams>();
  for (const n of q) {
    const rule = INT8_RULES[n.op]!;
    const data = dataInputs(n, rule, g);
    if (rule.output === 'shared') for (const x of [...data, ...n.outputs]) groups.union(data[0] ?? n.outputs[0]!, x);
    // constant operands are quantized straight at the output's parameters (no requantize needed)
    if (rule.requantizeInputs) for (const x of data) if (isConstant(g.tensor(x))) groups.union(n.outputs[0]!, x);
  }
  for (const n of q) {
    const rule = INT8_RULES[n.op]!;
    if (typeof rule.output === 'object') for (const o of n.outputs) fixedOf.set(groups.find(o), rule.output);
  }
  const rangeOf = (name: string): { lo: number; hi: number } | undefined => {
    const t = g.tensor(name);
    if (isConstant(t)) return t.dtype === 'float32' ? constRange(t) : undefined;
    const s = stats.get(name);
    return s ? { lo: s.lo, hi: s.hi } : undefined;
  };
  const groupRange = new Map<string, { lo: number; hi: number }>();
  const quantized = new Set<string>();
  for (const n of q) {
    const rule = INT8_RULES[n.op]!;
    for (const name of [...dataInputs(n, rule, g), ...n.outputs]) quantized.add(name);
  }
  // graph I/O in int8 / uint8 are quantized even when only float nodes touch them
  if (io !== 'float') for (const name of [...g.inputs, ...g.outputs]) if (isFloatActivation(g.tensors.get(name)) && stats.has(name)) quantized.add(name);
  for (const name of quantized) {
    const r = rangeOf(name);
    if (!r) continue;
    const root = groups.find(name);
    const cur = groupRange.get(root);
    groupRange.set(root, cur ? { lo: Math.min(cur.lo, r.lo), hi: Math.max(cur.hi, r.hi) } : r);
  }
  const paramsOf = (name: string): Params => {
    const root = groups.find(name);
    const r = groupRange.get(root) ?? rangeOf(name) ?? { lo: 0, hi: 0 };
    const f = fixedOf.get(root);
    if (f) return { ...f, lo: (-128 - f.zeroPoint) * f.scale, hi: (127 - f.zeroPoint) * f.scale };
    const p = int8Params(r.lo, r.hi);
    return { ...p, lo: (-128 - p.zeroPoint) * p.scale, hi: (127 - p.zeroPoint) * p.scale };
  };
  // scale and zero point only: runtimes ignore min / max, which would only add bytes to the file
  const quant = (p: Params, zpShift = 0): QuantParams => ({ scale: [p.scale], zeroPoint: [p.zeroPoint + zpShift] });

  const infos: QuantizedTensorInfo[] = [];
  const touched = new Set<Node>(q);
  const producers = g.producers();
  const consumers = g.consumers();
  const rewire = (nodes: Node[], from: string, to: string) => {
    for (const c of nodes) {
      c.inputs = c.inputs.map((i) => (i === from ? to : i));
      touched.add(c);
    }
  };
  const addTensor = (base: string, like: Tensor, dtype: Tensor['dtype'], qp?: QuantParams): string => {
    const name = g.uniqueName(base);
    g.addTensor({ name, dtype, shape: [...like.shape], layout: like.layout, ...(qp ? { quant: qp } : {}) });
    return name;
  };
  const addNode = (op: 'QUANTIZE' | 'DEQUANTIZE', from: string, to: string) => {
    g.addNode({ name: g.uniqueName(`${to}__${op.toLowerCase()}`), op, inputs: [from], outputs: [to], attrs: {} });
  };

  // --- activations: int8 where an int8 node writes them, QUANTIZE / DEQUANTIZE at domain edges ---
  for (const name of quantized) {
    const t = g.tensor(name);
    if (!isFloatActivation(t)) continue;
    const p = paramsOf(name);
    const producer = producers.get(name);
    const isInput = g.inputs.includes(name);
    const isOutput = g.outputs.includes(name);
    const users = consumers.get(name) ?? [];
    const intUsers = users.filter((u) => q.has(u));
    const floatUsers = users.filter((u) => !q.has(u));
    const int8Side = producer ? q.has(producer) : isInput && io !== 'float';
    if (int8Side) {
      let int8Name = name;
      if ((isOutput && io !== 'int8') || (isInput && io === 'uint8')) {
        int8Name = addTensor(`${name}_int8`, t, 'int8', quant(p));
        if (producer) producer.outputs = producer.outputs.map((o) => (o === name ? int8Name : o));
        rewire(intUsers, name, int8Name);
        if (isInput) {
          t.dtype = 'uint8';
          t.quant = quant(p, 128);
          addNode('QUANTIZE', name, int8Name);
        } else if (io === 'float') {
          addNode('DEQUANTIZE', int8Name, name);
        } else {
          t.dtype = 'uint8';
          t.quant = quant(p, 128);
          addNode('QUANTIZE', int8Name, name);
        }
      } else {
        t.dtype = 'int8';
        t.quant = quant(p);
      }
      infos.push({ name: int8Name, source: name, scale: [p.scale], zeroPoint: [p.zeroPoint], kind: 'activation', ...(producer ? { node: producer.name } : {}) });
      if (floatUsers.length && g.tensor(name).dtype !== 'float32') {
        const f = addTensor(`${name}_dequant`, t, 'float32');
        addNode('DEQUANTIZE', int8Name, f);
        rewire(floatUsers, name, f);
      }
    } else {
      let floatName = name;
      let int8Name: string | undefined;
      if (isOutput && io !== 'float') {
        // a float-produced model output delivered as int8 / uint8
        floatName = addTensor(`${name}_float`, t, 'float32');
        if (producer) producer.outputs = producer.outputs.map((o) => (o === name ? floatName : o));
        rewire(floatUsers, name, floatName);
        if (io === 'int8') {
          t.dtype = 'int8';
          t.quant = quant(p);
          int8Name = name;
          addNode('QUANTIZE', floatName, name);
        } else {
          t.dtype = 'uint8';
          t.quant = quant(p, 128);
          addNode('QUANTIZE', floatName, name);
        }
      }
      if (intUsers.length) {
        if (!int8Name) {
          int8Name = addTensor(`${name}_int8`, t, 'int8', quant(p));
          addNode('QUANTIZE', floatName, int8Name);
        }
        rewire(intUsers, name, int8Name);
      }
      if (int8Name) infos.push({ name: int8Name, source: name, scale: [p.scale], zeroPoint: [p.zeroPoint], kind: 'activation' });
    }
  }

  // --- requantize inputs whose parameters differ from the output's where the kernel needs them equal ---
  for (const n of q) {
    if (!INT8_RULES[n.op]!.requantizeInputs) continue;
    const out = g.tensor(n.outputs[0]!).quant;
    if (!out) continue;
    n.inputs = n.inputs.map((x) => {
      const t = x ? g.tensors.get(x) : undefined;
      if (!t || isConstant(t) || t.dtype !== 'int8' || !t.quant) return x;
      if (t.quant.scale[0] === out.scale[0] && t.quant.zeroPoint[0] === out.zeroPoint[0]) return x;
      const r = addTensor(`${x}_requantized`, t, 'int8', { scale: [...out.scale], zeroPoint: [...out.zeroPoint] });
      addNode('QUANTIZE', x, r);
      touched.add(n);
      return r;
    });
  }

  // --- constants of int8 nodes: weights, biases, other operands ---------------------------------
  const weightCache = new Map<string, { name: string; scales: number[] }>();
  for (const n of q) {
    const rule = INT8_RULES[n.op]!;
    let wScales: number[] | undefined;
    if (rule.weight) {
      const wName = n.inputs[rule.weight.input]!;
      let w = weightCache.get(wName);
      if (!w) {
        const wt = g.tensor(wName);
        const axis = rule.weight.axis;
        const r = quantizeWeightSymmetric(wt.data as Float32Array, wt.shape, axis);
        const name = g.uniqueName(`${wName}_int8`);
        g.addTensor({ name, dtype: 'int8', shape: [...wt.shape], layout: wt.layout, data: r.data, quant: { scale: r.scales, zeroPoint: r.scales.map(() => 0), ...(axis === 'tensor' ? {} : { axis }) } });
        w = { name, scales: r.scales };
        weightCache.set(wName, w);
        infos.push({ name, source: wName, scale: r.scales, zeroPoint: r.scales.map(() => 0), ...(axis === 'tensor' ? {} : { axis }), kind: 'weight', node: n.name });
      }
      n.inputs[rule.weight.input] = w.name;
      wScales = w.scales;
    }
    if (rule.bias !== undefined && n.inputs[rule.bias]) {
      const bName = n.inputs[rule.bias]!;
      const bt = g.tensor(bName);
      if (!isConstant(bt) || bt.dtype !== 'float32') throw inputError('invalid-model', `node '${n.name}': bias '${bName}' is not a float32 constant`);
      const inName = n.inputs[rule.dataInput ?? 0]!;
      const inScale = g.tensor(inName).quant?.scale[0] ?? paramsOf(inName).scale;
      const channels = numElements(bt.shape);
      const scales = Array.from({ length: channels }, (_, c) => inScale * (wScales!.length === 1 ? wScales![0]! : wScales![c]!));
      const name = g.uniqueName(`${bName}_int32`);
      g.addTensor({ name, dtype: 'int32', shape: [...bt.shape], layout: bt.layout, data: quantizeBias(bt.data as Float32Array, scales), quant: { scale: scales, zeroPoint: scales.map(() => 0), ...(scales.length > 1 ? { axis: 0 } : {}) } });
      n.inputs[rule.bias] = name;
      infos.push({ name, source: bName, scale: scales, zeroPoint: scales.map(() => 0), ...(scales.length > 1 ? { axis: 0 } : {}), kind: 'bias', node: n.name });
    }
    n.inputs = n.inputs.map((name, i) => {
      if (!name || i === rule.weight?.input || i === rule.bias) return name;
      const t = g.tensor(name);
      if (!isConstant(t) || t.dtype !== 'float32') return name;
      const p = paramsOf(name);
      const qn = g.uniqueName(`${name}_int8`);
      g.addTensor({ name: qn, dtype: 'int8', shape: [...t.shape], layout: t.layout, data: quantizePerTensor(t.data as Float32Array, p.scale, p.zeroPoint), quant: quant(p) });
      infos.push({ name: qn, source: name, scale: [p.scale], zeroPoint: [p.zeroPoint], kind: 'weight', node: n.name });
      return qn;
    });
  }

  for (const n of touched) delete n.version;
  g.pruneTensors();
  takeBackSourceNames(g, infos);
  g.topoSort();
  if (g.signature) {
    // signature entries follow the (possibly renamed) boundary tensors, which keep their names
    g.signature.inputs = g.signature.inputs.filter((s) => g.tensors.has(s.tensor));
    g.signature.outputs = g.signature.outputs.filter((s) => g.tensors.has(s.tensor));
  }
  assertValid(g, 'int8 quantization');
  restoreFp16Constants(g, input);
  return { graph: g, tensors: infos, keptFloat };
}

/**
 * A quantized constant takes back its float source's name once no node reads the float tensor
 * (the usual case): the file keeps the source's names and spends no bytes on `_int8` / `_int32`.
 */
function takeBackSourceNames(g: Graph, infos: QuantizedTensorInfo[]): void {
  const renamed = new Map<string, string>();
  for (const info of infos) {
    if (info.kind === 'activation' || g.tensors.has(info.source)) continue;
    const t = g.tensors.get(info.name);
    if (!t) continue;
    g.tensors.delete(info.name);
    t.name = info.source;
    g.tensors.set(info.source, t);
    renamed.set(info.name, info.source);
    info.name = info.source;
  }
  if (renamed.size) for (const n of g.nodes) n.inputs = n.inputs.map((i) => renamed.get(i) ?? i);
}
