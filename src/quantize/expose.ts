/**
 * A calibration / debugging copy of a graph whose outputs also include chosen
 * intermediate tensors, so one LiteRT run returns every activation.
 */
import type { Graph } from '../ir/graph.js';
import { inputError } from '../core/errors.js';

/** Adds `name` → RESHAPE (same shape) → a new tensor; returns the new tensor's name. */
function copyOf(c: Graph, name: string): string {
  const t = c.tensor(name);
  const out = c.uniqueName(`${name}__exposed_copy`);
  const shape = c.uniqueName(`${name}__exposed_shape`);
  c.addTensor({ name: shape, dtype: 'int32', shape: [t.shape.length], layout: 'plain', data: Int32Array.from(t.shape) });
  c.addTensor({ name: out, dtype: t.dtype, shape: [...t.shape], layout: t.layout, ...(t.quant ? { quant: t.quant } : {}) });
  c.addNode({ name: c.uniqueName(`${name}__expose_copy`), op: 'RESHAPE', inputs: [name, shape], outputs: [out], attrs: { newShape: [...t.shape] } });
  return out;
}

/** Output dtypes LiteRT.js can hand back. */
const RETURNABLE = new Set(['float32', 'int32', 'uint8']);

/**
 * A copy of `g` whose outputs are g's outputs (in order) followed by one
 * output per entry of `names` (in order, duplicates and names that already are
 * outputs included — the copy's output k ≥ g.outputs.length is `names[k − g.outputs.length]`).
 * A quantized (int8 / uint8 / int16) or float16 tensor is returned through a DEQUANTIZE to float32
 * (LiteRT.js returns float32, int32 and uint8 only), so its exposed value is the
 * real value it represents. The copy has no signature (the writer derives
 * serving_default from the tensor names); `g` is not modified.
 */
export function exposeTensors(g: Graph, names: string[]): Graph {
  const c = g.clone();
  delete c.signature;
  const dequantized = new Map<string, string>();
  const extra: string[] = [];
  const taken = new Set(c.outputs);
  const inputs = new Set(c.inputs);
  for (const name of names) {
    const t = c.tensor(name);
    if (inputs.has(name) || (taken.has(name) && !t.quant)) {
      // LiteRT returns garbage for a graph input listed as an output and for a tensor listed
      // twice: such a tensor is returned through a copy (RESHAPE to its own shape).
      extra.push(copyOf(c, name));
    } else if ((t.quant && (t.dtype === 'int8' || t.dtype === 'uint8' || t.dtype === 'int16')) || t.dtype === 'float16') {
      let out = dequantized.get(name);
      if (!out) {
        out = c.uniqueName(`${name}__exposed_float`);
        c.addTensor({ name: out, dtype: 'float32', shape: [...t.shape], layout: t.layout });
        c.addNode({ name: c.uniqueName(`${name}__expose_dequantize`), op: 'DEQUANTIZE', inputs: [name], outputs: [out], attrs: {} });
        dequantized.set(name, out);
      }
      extra.push(out);
    } else if (RETURNABLE.has(t.dtype)) {
      extra.push(name);
      taken.add(name);
    } else {
      throw inputError('unsupported-dtype', `exposeTensors: tensor '${name}' has dtype ${t.dtype}, which LiteRT.js cannot return`);
    }
  }
  c.outputs = [...c.outputs, ...extra];
  return c;
}
