/** Identity / Snapshot / StopGradient / PreventGradient / EnsureShape alias their input; IdentityN aliases each; NoOp has no value. */
import type { TfContext } from '../context.js';
import type { TfNode } from '../node.js';

export function importIdentity(t: TfContext, node: TfNode): void {
  t.alias(node.output(), node.input(0));
}

export function importIdentityN(t: TfContext, node: TfNode): void {
  node.inputs.forEach((x, k) => t.alias(node.output(k), x));
}

export function importNoOp(): void {}
