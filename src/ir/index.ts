export * from './dtype.js';
export * from './tensor.js';
export * from './node.js';
export * from './graph.js';
export * from './verify.js';
export * from './op-names.js';
export * from './op-traits.js';
