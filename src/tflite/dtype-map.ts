/** IR element types ↔ TFLite `TensorType` codes. */
import type { DType } from '../ir/dtype.js';
import { TENSOR_TYPE, type TensorTypeName } from './schema/enums.js';

const TO_TFLITE: Record<DType, TensorTypeName> = {
  float32: 'FLOAT32',
  float16: 'FLOAT16',
  float64: 'FLOAT64',
  int8: 'INT8',
  uint8: 'UINT8',
  int16: 'INT16',
  uint16: 'UINT16',
  int32: 'INT32',
  uint32: 'UINT32',
  int64: 'INT64',
  uint64: 'UINT64',
  bool: 'BOOL',
  string: 'STRING',
};

const FROM_TFLITE = new Map<number, DType>(
  (Object.entries(TO_TFLITE) as Array<[DType, TensorTypeName]>).map(([d, t]) => [TENSOR_TYPE[t], d]),
);

const TYPE_NAME = new Map<number, string>(Object.entries(TENSOR_TYPE).map(([k, v]) => [v, k]));

/** TFLite TensorType code of an IR dtype. */
export function tensorTypeOf(dtype: DType): number {
  return TENSOR_TYPE[TO_TFLITE[dtype]];
}

/** IR dtype of a TFLite TensorType code, or undefined when the IR has no such type (INT4, COMPLEX64, …). */
export function dtypeOfTensorType(code: number): DType | undefined {
  return FROM_TFLITE.get(code);
}

/** Schema name of a TensorType code (for messages). */
export function tensorTypeName(code: number): string {
  return TYPE_NAME.get(code) ?? `type#${code}`;
}
