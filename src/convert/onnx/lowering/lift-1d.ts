/**
 * 1-D Conv / ConvTranspose / MaxPool / AveragePool ([N, C, L]) as their 2-D form on [N, C, 1, L]: RESHAPE in,
 * the 2-D importer with H-axis attributes of size 1 (kernel 1, stride 1, dilation 1, pads 0),
 * RESHAPE out. Weights [M, C/g, k] become [M, C/g, 1, k] (same data).
 */
import { NodeUnsupported, type ImportContext } from '../context.js';
import { OnnxNode } from '../node.js';
import { onnx, type AttributeProto } from '../proto.js';
import { emitReshape } from './emit-reshape.js';

const AT = onnx.AttributeProto.AttributeType;

function liftedAttributes(node: OnnxNode): AttributeProto[] {
  const out: AttributeProto[] = [];
  const ints = (name: string, v: number[]) => out.push(onnx.AttributeProto.create({ name, type: AT.INTS, ints: v }) as AttributeProto);
  for (const name of node.attributeNames()) {
    const v = node.ints(name);
    if (name === 'kernel_shape' || name === 'strides') ints(name, [1, v![0]!]);
    else if (name === 'dilations') ints(name, [1, v![0]!]);
    else if (name === 'pads') ints(name, [0, v![0]!, 0, v![1]!]);
    else if (name === 'output_padding') ints(name, [0, v![0]!]);
    else if (name === 'output_shape') ints(name, [1, v![v!.length - 1]!]);
    else if (name === 'auto_pad') out.push(onnx.AttributeProto.create({ name, type: AT.STRING, s: new TextEncoder().encode(node.string(name, 'NOTSET')) }) as AttributeProto);
    else if (name === 'group' || name === 'ceil_mode' || name === 'count_include_pad' || name === 'storage_order') {
      out.push(onnx.AttributeProto.create({ name, type: AT.INT, i: node.int(name, 0) }) as AttributeProto);
    } else ctx1dUnsupported(node, name);
  }
  return out;
}

function ctx1dUnsupported(node: OnnxNode, name: string): never {
  throw new NodeUnsupported('unsupported-attribute', `1-D ${node.opType}: attribute '${name}' is not supported`);
}

export function lift1d(importer: (ctx: ImportContext, node: OnnxNode) => void) {
  return (ctx: ImportContext, node: OnnxNode): void => {
    const x = node.input(0);
    const xs = ctx.shape(x);
    if (xs.length !== 3) return importer(ctx, node);
    if (node.outputs.filter((o) => o).length > 1) ctx.fail('unsupported-attribute', `1-D ${node.opType} with more than one output is not supported`);
    const x4 = `${node.name}__2d_in`;
    emitReshape(ctx, x, [xs[0]!, xs[1]!, 1, xs[2]!], x4);
    const inputs = [x4, ...node.inputs.slice(1)];
    if (node.opType === 'Conv' || node.opType === 'ConvTranspose') {
      const w = node.input(1);
      const c = ctx.constant(w);
      if (!c?.data) ctx.fail('requires-constant-input', `${node.opType} weights (input '${w}') must be a constant`);
      const w4 = `${node.name}__2d_w`;
      ctx.defineConst(w4, { ...c, shape: [c.shape[0]!, c.shape[1]!, 1, c.shape[2]!] });
      inputs[1] = w4;
    }
    const y4 = `${node.name}__2d_out`;
    const lifted = new OnnxNode(
      onnx.NodeProto.create({ name: node.name, opType: node.opType, input: inputs, output: [y4], attribute: liftedAttributes(node) }) as ConstructorParameters<typeof OnnxNode>[0],
      0,
    );
    importer(ctx, lifted);
    const ys = ctx.shape(y4);
    emitReshape(ctx, y4, [ys[0]!, ys[1]!, ys[3]!], node.outputs[0]!);
  };
}
