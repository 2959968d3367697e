/**
 * Function-library inlining: every PartitionedCall / StatefulPartitionedCall (attr `f`) — or a node
 * whose op is a library function — is replaced by the function's body, its nodes renamed under the
 * call's name, arguments bound to the call's inputs and the call's outputs to the body's `ret`
 * tensors. Inside a FunctionDef tensors are named `node:output_arg:index`; they become graph names
 * (`node:k`) through each op's output argument list. Nested calls are inlined the same way.
 */
import { inputError } from '../../core/errors.js';
import type { TfFunctionDef, TfNodeDef } from './model.js';
import { canonicalTensor } from './node.js';

const CALL_OPS = new Set(['PartitionedCall', 'StatefulPartitionedCall']);

/** Ops with several output arguments: their names in order (each one tensor). */
const OUTPUT_ARGS: Record<string, readonly string[]> = {
  FusedBatchNorm: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2'],
  FusedBatchNormV2: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2'],
  FusedBatchNormV3: ['y', 'batch_mean', 'batch_variance', 'reserve_space_1', 'reserve_space_2', 'reserve_space_3'],
  TopKV2: ['values', 'indices'],
  Unique: ['y', 'idx'],
  Switch: ['output_false', 'output_true'],
  Merge: ['output', 'value_index'],
};

/** The graph tensor index of `arg:idx` of an op. */
function flatIndex(op: string, arg: string, idx: number): number {
  const args = OUTPUT_ARGS[op];
  const at = args ? args.indexOf(arg) : -1;
  return at >= 0 ? at : idx;
}

/** The inlined nodes, and `resolve` mapping a tensor name of the original graph (a call's output) to the inlined one. */
export function inlineFunctions(nodes: TfNodeDef[], library: TfFunctionDef[], file: string): { nodes: TfNodeDef[]; resolve(tensor: string): string } {
  if (!library.length) return { nodes, resolve: canonicalTensor };
  const fns = new Map(library.map((f) => [f.signature?.name ?? '', f]));
  const alias = new Map<string, string>();
  const out: TfNodeDef[] = [];

  const calleeOf = (n: TfNodeDef): TfFunctionDef | undefined => {
    if (CALL_OPS.has(n.op ?? '')) {
      const name = n.attr?.f?.func?.name ?? '';
      const f = fns.get(name);
      if (!f) throw inputError('invalid-model', `${file}: node '${n.name}' calls function '${name}', which is not in the function library`, { file });
      return f;
    }
    return fns.get(n.op ?? '');
  };

  const expand = (n: TfNodeDef, depth: number): void => {
    const f = calleeOf(n);
    if (!f) return void out.push(n);
    if (depth > 64) throw inputError('invalid-model', `${file}: function calls nest deeper than 64 at '${n.name}' (recursive functions do not convert)`, { file });
    const prefix = `${n.name}/`;
    const body = f.nodeDef ?? [];
    const ops = new Map(body.map((b) => [b.name ?? '', b.op ?? '']));
    const dataInputs = (n.input ?? []).filter((i) => !i.startsWith('^'));
    const args = new Map((f.signature?.inputArg ?? []).map((a, i) => [a.name ?? '', dataInputs[i] ?? '']));
    const rename = (ref: string): string | undefined => {
      if (ref.startsWith('^')) return undefined;
      const parts = ref.split(':');
      if (parts.length === 1) return args.has(ref) ? args.get(ref)! : `${prefix}${ref}`;
      const [node, arg, idx] = [parts[0]!, parts[1]!, Number(parts[2] ?? 0)];
      const k = flatIndex(ops.get(node) ?? '', arg, idx);
      return k === 0 ? `${prefix}${node}` : `${prefix}${node}:${k}`;
    };
    for (const b of body) {
      const input = (b.input ?? []).map(rename).filter((i): i is string => i !== undefined);
      expand({ ...b, name: `${prefix}${b.name}`, input }, depth + 1);
    }
    (f.signature?.outputArg ?? []).forEach((a, k) => {
      const ret = f.ret?.[a.name ?? ''];
      if (ret === undefined) throw inputError('invalid-model', `${file}: function '${f.signature?.name}' returns no tensor for output '${a.name}'`, { file });
      alias.set(k === 0 ? n.name ?? '' : `${n.name}:${k}`, rename(ret)!);
    });
  };
  for (const n of nodes) expand(n, 0);

  const resolve = (ref: string): string => {
    let r = canonicalTensor(ref);
    for (let hops = 0; alias.has(r) && hops < 1000; hops++) r = canonicalTensor(alias.get(r)!);
    return r;
  };
  return { nodes: out.map((n) => ({ ...n, input: (n.input ?? []).filter((i) => !i.startsWith('^')).map(resolve) })), resolve };
}
