/**
 * The TF op table's `emits` are honest: every TFLite op a converted fixture contains is declared by a
 * row of a TF op the graph uses (or the patterns fold in: Prelu, HardSwish, the dilated conv) — RESHAPE / TRANSPOSE
 * layout glue aside — so docs/tf-op-coverage.md's GPU column covers what conversions really emit.
 */
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { convert } from '../../../src/convert/index.js';
import { readModelInput } from '../../../src/core/read-model.js';
import { loadTfModel } from '../../../src/convert/tf/load.js';
import { summarizeTfGraph } from '../../../src/convert/tf/inspect.js';
import { TF_OPS } from '../../../src/convert/tf/ops/index.js';
import { FIXTURES, FORMATS, fixtureNames } from './fixtures.js';

const GLUE = new Set(['RESHAPE', 'TRANSPOSE']);
const PATTERN_OPS = ['Prelu', 'HardSwish', 'Conv2D'];

describe('TF op table emits', () => {
  it('every TFLite op in every converted fixture is declared by a TF op the graph uses', async () => {
    const undeclared: string[] = [];
    for (const name of fixtureNames()) {
      for (const { format, path } of FORMATS) {
        const file = join(FIXTURES, name, path);
        const bytes = await readModelInput(file);
        const used = new Set([...Object.keys(summarizeTfGraph(loadTfModel(bytes, file)).ops), ...PATTERN_OPS]);
        const declared = new Set(TF_OPS.filter((r) => used.has(r.tfOp)).flatMap((r) => r.emits ?? []));
        const { graph } = convert({ bytes, file });
        for (const n of graph.nodes) if (!GLUE.has(n.op) && !declared.has(n.op)) undeclared.push(`${name} (${format}): ${n.op} from ${n.sourceNode}`);
      }
    }
    expect(undeclared).toEqual([]);
  });
});
