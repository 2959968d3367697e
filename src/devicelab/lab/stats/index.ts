export { mannWhitneyU, exactUpperTail, type MwuResult, type Alternative, type MwuMethod } from './mann-whitney.js';
export { bootstrapRatioCi, type RatioCi } from './bootstrap.js';
export { median, quantile, madSigma, std } from './robust.js';
export { normalSf, erfc } from './normal.js';
