/** Softsign x / (1 + |x|): ABS, ADD, DIV (GPU ops). */
import type { ImportContext } from '../context.js';
import { primaryOf } from '../context.js';
import type { OnnxNode } from '../node.js';
import { scalar, temp } from './activations.js';

export function importSoftsign(ctx: ImportContext, node: OnnxNode): void {
  const x = node.input(0);
  const { tensor, form } = primaryOf(ctx, x);
  const abs = temp(ctx, `${node.name}_abs`, tensor);
  ctx.emit('ABS', [tensor], [abs]);
  const den = temp(ctx, `${node.name}_one_plus_abs`, tensor);
  ctx.emit('ADD', [abs, scalar(ctx, `${node.name}_one`, 1)], [den], { activation: 'NONE' });
  ctx.emit('DIV', [tensor, den], [ctx.define(node.outputs[0]!, ctx.dtype(x), ctx.shape(x), form)], { activation: 'NONE' });
}
