export { writeTflite, TFLITE_IDENTIFIER, TFLITE_SCHEMA_VERSION, MIN_RUNTIME_METADATA, IR_METADATA } from './writer.js';
export { readTflite } from './reader.js';
export { OPS_TABLE, opRow, opVersion, type OpRow } from './ops-table.js';
export { minRuntimeVersion } from './op-versions.js';
