/**
 * The import graph of src/ against the declared layer order. A file may import
 * files of its own layer or of a lower-ranked layer; layers of equal rank are
 * siblings and never import each other. Within src/ no two files import each
 * other, directly or through others (no cycles). Imports are read with the
 * TypeScript parser: `import`/`export … from`, `import type`, `import()` and
 * `typeof import()` types.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const SRC = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

/**
 * Rank of each layer (a top-level folder of src/, except src/convert/gpu, the
 * GPU delegate's rule table, which the converter and the device simulator
 * both read and which depends on the IR alone).
 */
const LAYERS: Record<string, number> = {
  core: 0, // errors and their catalogue, files, text tables, model-format sniffing: depends on nothing of ours
  ir: 1, // the one IR (op names generated from the vendored TFLite schema)
  agreement: 1, // element-wise agreement of two tensors (convert --check, validate, quantize)
  tflite: 2, // flatbuffer writer / reader
  samples: 2, // sample ONNX models built from the IR's dtypes
  runtime: 3, // LiteRT.js / onnxruntime-node behind one interface
  data: 3, // datasets, image decoding, preprocessing
  gpu: 4, // src/convert/gpu: GPU delegate rules, targets, verdicts
  convert: 5, // frontends, passes, check, inspect
  validate: 5, // metrics, budgets, the validate pipeline and report
  quantize: 6, // calibration and int8 / fp16 / dynamic-range passes
  devicelab: 7, // devices, adb deploy, benchmark parsing, store, simulator
  cli: 8, // commander program and commands; nothing imports it
};

function layerOf(file: string): string {
  if (file.startsWith('convert/gpu/')) return 'gpu';
  return file.split('/')[0]!;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return e.name.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import specifier of one file (static, re-export, dynamic, type-level). */
function specifiers(file: string): string[] {
  const sf = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, true);
  const out: string[] = [];
  const visit = (n: ts.Node): void => {
    if ((ts.isImportDeclaration(n) || ts.isExportDeclaration(n)) && n.moduleSpecifier && ts.isStringLiteral(n.moduleSpecifier)) out.push(n.moduleSpecifier.text);
    else if (ts.isCallExpression(n) && n.expression.kind === ts.SyntaxKind.ImportKeyword && n.arguments[0] && ts.isStringLiteralLike(n.arguments[0])) out.push(n.arguments[0].text);
    else if (ts.isImportTypeNode(n) && ts.isLiteralTypeNode(n.argument) && ts.isStringLiteral(n.argument.literal)) out.push(n.argument.literal.text);
    ts.forEachChild(n, visit);
  };
  visit(sf);
  return out.filter((s) => s.startsWith('.'));
}

interface Edge {
  from: string;
  to: string;
}

function importGraph(): { files: string[]; edges: Edge[] } {
  const files = sourceFiles(SRC).map((f) => relative(SRC, f));
  const edges = files.flatMap((from) =>
    specifiers(join(SRC, from)).map((s) => ({ from, to: relative(SRC, resolve(SRC, dirname(from), s)).replace(/\.js$/, '.ts') })),
  );
  return { files, edges };
}

/** Edges from a layer to a sibling or to a higher-ranked layer, as `from (layer) -> to (layer)`. */
function againstOrder(edges: Edge[]): string[] {
  return edges
    .filter((e) => {
      const [a, b] = [layerOf(e.from), layerOf(e.to)];
      return a !== b && !(LAYERS[b]! < LAYERS[a]!);
    })
    .map((e) => `${e.from} (${layerOf(e.from)}) -> ${e.to} (${layerOf(e.to)})`);
}

/** Strongly connected components with more than one file, or a file importing itself (Tarjan). */
function cycles(files: string[], edges: Edge[]): string[][] {
  const next = new Map<string, string[]>(files.map((f) => [f, []]));
  for (const e of edges) next.get(e.from)?.push(e.to);
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  let counter = 0;
  const strong = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter++);
    stack.push(v);
    onStack.add(v);
    for (const w of next.get(v) ?? []) {
      if (!index.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const scc: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        scc.push(w);
      } while (w !== v);
      if (scc.length > 1 || next.get(v)!.includes(v)) found.push(scc.sort());
    }
  };
  for (const f of files) if (!index.has(f)) strong(f);
  return found;
}

describe('architecture: the import graph of src/', () => {
  const { files, edges } = importGraph();

  it('reads a real graph (every import resolves to a file of src/)', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(edges.length).toBeGreaterThan(files.length);
    const known = new Set(files);
    expect(edges.filter((e) => !known.has(e.to)).map((e) => `${e.from} -> ${e.to}`)).toEqual([]);
  });

  it('puts every file in a declared layer', () => {
    expect(files.filter((f) => !(layerOf(f) in LAYERS))).toEqual([]);
  });

  it('has no import against the layer order', () => {
    expect(againstOrder(edges)).toEqual([]);
  });

  it('has no import cycle between files', () => {
    expect(cycles(files, edges).map((c) => c.join(' <-> '))).toEqual([]);
  });

  it('detects a cycle, a sibling import and an upward import when there is one', () => {
    expect(
      againstOrder([
        { from: 'convert/check.ts', to: 'validate/x.ts' },
        { from: 'ir/node.ts', to: 'tflite/schema/enums.ts' },
        { from: 'quantize/report-table.ts', to: 'cli/output.ts' },
        { from: 'devicelab/sim/cost-model.ts', to: 'convert/gpu/check.ts' },
        { from: 'convert/gpu/verdict.ts', to: 'convert/inspect.ts' },
      ]),
    ).toEqual([
      'convert/check.ts (convert) -> validate/x.ts (validate)',
      'ir/node.ts (ir) -> tflite/schema/enums.ts (tflite)',
      'quantize/report-table.ts (quantize) -> cli/output.ts (cli)',
      'convert/gpu/verdict.ts (gpu) -> convert/inspect.ts (convert)',
    ]);
    const fake = [
      { from: 'a.ts', to: 'b.ts' },
      { from: 'b.ts', to: 'c.ts' },
      { from: 'c.ts', to: 'a.ts' },
    ];
    expect(cycles(['a.ts', 'b.ts', 'c.ts', 'd.ts'], fake)).toEqual([['a.ts', 'b.ts', 'c.ts']]);
  });
});
