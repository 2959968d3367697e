/**
 * The ONNX op table: one row per op and opset range. A new op is one file plus one row here.
 * `check` holds the op's shape-independent checks; it also runs for nodes downstream of a failure.
 */
import type { OpImporter } from './types.js';
import { checkBatchNorm, importBatchNorm } from './batchnorm.js';
import { binary, checkBinary } from './binary.js';
import { checkCast, importCast } from './cast.js';
import { checkClip, importClip } from './clip.js';
import { importConcat } from './concat.js';
import { importConstant } from './constant.js';
import { checkConv, importConv } from './conv.js';
import { importGemm } from './gemm.js';
import { checkDropout, importDropout, importIdentity } from './identity.js';
import { importMatMul } from './matmul.js';
import { lift1d } from './lift-1d.js';
import { checkPool, importGlobalAveragePool, pool } from './pool.js';
import { checkReshape, importFlatten, importReshape } from './reshape.js';
import { checkResize, importResize } from './resize.js';
import { importSoftmax } from './softmax.js';
import { importTranspose } from './transpose.js';
import { unary } from './unary.js';

export type { OpImporter } from './types.js';

export const ONNX_OPS: readonly OpImporter[] = [
  { onnxOp: 'Conv', opsets: '1+', check: checkConv, import: lift1d(importConv) },
  { onnxOp: 'BatchNormalization', opsets: '1+', check: checkBatchNorm, import: importBatchNorm },
  { onnxOp: 'Relu', opsets: '1+', import: unary('RELU') },
  { onnxOp: 'Sigmoid', opsets: '1+', import: unary('LOGISTIC') },
  { onnxOp: 'Tanh', opsets: '1+', import: unary('TANH') },
  { onnxOp: 'Clip', opsets: '1+', check: checkClip, import: importClip },
  { onnxOp: 'Add', opsets: '1+', check: checkBinary, import: binary('ADD') },
  { onnxOp: 'Sub', opsets: '1+', check: checkBinary, import: binary('SUB') },
  { onnxOp: 'Mul', opsets: '1+', check: checkBinary, import: binary('MUL') },
  { onnxOp: 'Div', opsets: '1+', check: checkBinary, import: binary('DIV') },
  { onnxOp: 'Concat', opsets: '4+', import: importConcat },
  { onnxOp: 'MaxPool', opsets: '1+', check: checkPool, import: lift1d(pool('max')) },
  { onnxOp: 'AveragePool', opsets: '1+', check: checkPool, import: lift1d(pool('avg')) },
  { onnxOp: 'GlobalAveragePool', opsets: '1+', import: importGlobalAveragePool },
  { onnxOp: 'Upsample', opsets: '7-9', check: checkResize, import: importResize },
  { onnxOp: 'Resize', opsets: '10+', check: checkResize, import: importResize },
  { onnxOp: 'Reshape', opsets: '5+', check: checkReshape, import: importReshape },
  { onnxOp: 'Flatten', opsets: '1+', import: importFlatten },
  { onnxOp: 'Transpose', opsets: '1+', import: importTranspose },
  { onnxOp: 'Softmax', opsets: '1-12', import: importSoftmax },
  { onnxOp: 'Softmax', opsets: '13+', import: importSoftmax },
  { onnxOp: 'Gemm', opsets: '1+', import: importGemm },
  { onnxOp: 'MatMul', opsets: '1+', import: importMatMul },
  { onnxOp: 'Identity', opsets: '1+', import: importIdentity },
  { onnxOp: 'Dropout', opsets: '1+', check: checkDropout, import: importDropout },
  { onnxOp: 'Constant', opsets: '1+', import: importConstant },
  { onnxOp: 'Cast', opsets: '6+', check: checkCast, import: importCast },
];
