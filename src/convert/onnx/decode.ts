/** Decoding an ONNX ModelProto from bytes: every failure is a clear `onnx-decode-failed` input error. */
import { inputError } from '../../core/errors.js';
import { onnx, type ModelProto } from './proto.js';

function where(file?: string): string {
  return file ? ` ${file}` : '';
}

export function decodeModel(bytes: Uint8Array, file?: string): ModelProto {
  const fail = (why: string, cause?: unknown) =>
    inputError('onnx-decode-failed', `cannot read ONNX model${where(file)}: ${why}`, {
      file,
      cause,
      hint: 'the file must be an ONNX ModelProto (.onnx) as exported by torch.onnx / tf2onnx',
    });
  if (bytes.byteLength === 0) throw fail('the file is empty');
  if (bytes.byteLength >= 8 && String.fromCharCode(bytes[4]!, bytes[5]!, bytes[6]!, bytes[7]!) === 'TFL3') {
    throw fail('this is a TFLite flatbuffer (identifier TFL3), not an ONNX model');
  }
  let model: ModelProto;
  try {
    model = onnx.ModelProto.decode(bytes);
  } catch (e) {
    throw fail(`not a valid protobuf ModelProto (${(e as Error).message}); the file may be truncated or corrupt`, e);
  }
  const g = model.graph;
  if (!g) throw fail('the ModelProto has no graph');
  if ((g.node?.length ?? 0) === 0 && (g.output?.length ?? 0) === 0) throw fail('the graph has no nodes and no outputs');
  if ((g.output?.length ?? 0) === 0) throw fail('the graph declares no outputs');
  return model;
}
