import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENUMS_PATH, OP_NAMES_PATH, renderSchemaFiles } from '../../scripts/gen-tflite-enums.js';

const REGENERATE = 'run `npx tsx scripts/gen-tflite-enums.ts` and commit the result';

describe('files generated from the vendored TFLite schema facts', () => {
  it('equal the generator output', () => {
    const [enums, opNames] = renderSchemaFiles();
    expect(readFileSync(ENUMS_PATH, 'utf8'), REGENERATE).toBe(enums);
    expect(readFileSync(OP_NAMES_PATH, 'utf8'), REGENERATE).toBe(opNames);
  });

  it('name the same ops in the IR as in the TFLite enum', () => {
    const [enums, opNames] = renderSchemaFiles({ BuiltinOperator: { ADD: 0, CUSTOM: 32 }, TensorType: {}, BuiltinOptions: {}, ActivationFunctionType: {}, Padding: {}, MirrorPadMode: {}, QuantizationDetails: {} });
    expect(enums).toContain('export const BUILTIN_OPERATOR = {\n  ADD: 0,\n  CUSTOM: 32,\n} as const;');
    expect(opNames).toContain("export type OpName =\n  | 'ADD'\n  | 'CUSTOM';");
  });
});
