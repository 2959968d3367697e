/**
 * data_format NCHW (GPU-trained graphs): the node runs as its NHWC form between two transposes of
 * its 4-D input and output — the attributes in data-format order (strides, dilations, ksize,
 * explicit_paddings) reordered to NHWC — so every NHWC lowering serves NCHW too. Back-to-back NCHW
 * nodes leave TRANSPOSE pairs the layout passes cancel.
 */
import type { TfAttr } from '../model.js';
import type { TfContext } from '../context.js';
import { TfNode } from '../node.js';
import type { TfOpImporter } from './types.js';
import { transposeValue } from './values.js';

const TO_NHWC = [0, 2, 3, 1];
const TO_NCHW = [0, 3, 1, 2];

function reorder(a: TfAttr | undefined, perm: number[], width = 1): TfAttr | undefined {
  const v = a?.list?.i;
  if (!v || v.length !== 4 * width) return a;
  return { list: { i: perm.flatMap((p) => v.slice(p * width, (p + 1) * width)) } };
}

const isNchw = (node: TfNode) => node.string('data_format', 'NHWC') === 'NCHW';

/** The node as its NHWC form reading `input` (attributes reordered, data_format NHWC). */
function asNhwc(node: TfNode, input: string): TfNode {
  const attr = { ...node.def.attr };
  for (const k of ['strides', 'dilations', 'ksize']) attr[k] = reorder(attr[k], TO_NHWC)!;
  attr.explicit_paddings = reorder(attr.explicit_paddings, TO_NHWC, 2)!;
  attr.data_format = { s: Buffer.from('NHWC').toString('base64') };
  const defined = Object.fromEntries(Object.entries(attr).filter(([, v]) => v !== undefined));
  return new TfNode({ ...node.def, name: `${node.name}/nhwc`, input: [input, ...node.inputs.slice(1)], attr: defined });
}

export function honourNchw(row: TfOpImporter): TfOpImporter {
  return {
    ...row,
    check: row.check && ((t, node) => row.check!(t, isNchw(node) ? asNhwc(node, node.input(0)) : node)),
    import(t: TfContext, node: TfNode): void {
      if (!isNchw(node)) return row.import(t, node);
      const x = node.input(0);
      if (t.rank(x) !== 4) t.fail('unsupported-attribute', `data_format=NCHW on a rank-${t.rank(x)} input`);
      const xn = t.temp('to_nhwc');
      transposeValue(t, x, TO_NHWC, xn);
      const nhwc = asNhwc(node, xn);
      t.node = nhwc;
      try {
        row.import(t, nhwc);
      } finally {
        t.node = node;
      }
      transposeValue(t, nhwc.output(), TO_NCHW, node.output());
    },
  };
}
