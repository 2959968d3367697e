/**
 * Graph-level folds of TF idioms: Keras PReLU (relu(x) − α·relu(−x)) → PRELU; hard-swish (x·relu6(x + 3)/6)
 * → HARD_SWISH; SpaceToBatchND → conv → BatchToSpaceND → a dilated conv. (The fixtures test checks the
 * folded graphs against TensorFlow's outputs.)
 */
import { describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { convert } from '../../../src/convert/index.js';
import { readModelInput } from '../../../src/core/read-model.js';
import { FIXTURES } from './fixtures.js';

async function ops(...path: string[]) {
  const file = join(FIXTURES, ...path);
  const { graph } = convert({ bytes: await readModelInput(file), file });
  return graph;
}

describe('TF patterns', () => {
  for (const path of [['matting', 'frozen.pb'], ['matting', 'saved_model']]) {
    it(`Keras PReLU is one PRELU (${path.join('/')})`, async () => {
      const g = await ops(...path);
      expect(g.nodes.filter((n) => n.op === 'PRELU')).toHaveLength(2);
      expect(g.nodes.some((n) => n.op === 'NEG' || n.op === 'RELU')).toBe(false);
    });
  }

  for (const path of [['mobilenet_v3_block', 'frozen.pb'], ['mobilenet_v3_block', 'saved_model']]) {
    it(`x·relu6(x + 3)/6 is one HARD_SWISH (${path.join('/')})`, async () => {
      const g = await ops(...path);
      expect(g.nodes.filter((n) => n.op === 'HARD_SWISH')).toHaveLength(2);
      expect(g.nodes.some((n) => n.op === 'RELU6' || n.op === 'DIV')).toBe(false);
    });
  }

  for (const path of [['segmenter', 'frozen.pb'], ['segmenter', 'tfjs', 'model.json']]) {
    it(`SpaceToBatchND → Conv2D → BatchToSpaceND is one dilated CONV_2D (${path.join('/')})`, async () => {
      const g = await ops(...path);
      expect(g.nodes.some((n) => n.op === 'SPACE_TO_BATCH_ND' || n.op === 'BATCH_TO_SPACE_ND' || n.op === 'PAD')).toBe(false);
      const dilated = g.nodes.filter((n) => n.op === 'CONV_2D' && n.attrs.dilationH === 2);
      expect(dilated).toHaveLength(1);
      expect(dilated[0]!.attrs).toMatchObject({ dilationW: 2, padding: 'SAME' });
    });
  }
});
