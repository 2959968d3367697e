/**
 * LiteRT.js in headless Chromium: Google's WebGPU delegate (the TFLite GPU
 * delegate compiled for WebGPU) next to its wasm/XNNPACK path, on the same
 * .tflite bytes and the same inputs.
 *
 *   const lab = await launchLiteRtChromium();          // throws ChromiumMissing when absent
 *   const runs = await lab.run([{ name, tflite, inputs }]);
 *   runs[0].delegation.fullyDelegated, runs[0].webgpu.outputs, runs[0].wasm.outputs
 *   await lab.close();
 *
 * Inside a describe, `const lab = useLiteRtChromium()` does the launch in a
 * beforeAll and the close in an afterAll.
 *
 * A node:http server on 127.0.0.1 (random port) serves the @litertjs wasm/js
 * files, a one-line page and the models/inputs as raw bytes; playwright-core
 * drives Chromium. The machine may have no GPU: WebGPU then runs on
 * SwiftShader (`--use-webgpu-adapter=swiftshader`), the delegate's shaders
 * and partitioning are the real ones.
 *
 * Delegation evidence (see `delegationOf`): LiteRT.js's `CompiledModel.isFullyAccelerated`
 * (the C++ CompiledModel's verdict: every node in a GPU partition), the
 * accelerator the returned model was actually compiled for (LiteRT.js
 * silently recompiles for wasm on browsers without JSPI when the model is not
 * fully accelerated), and the console lines it prints when it falls back.
 */
import { createServer, type Server } from 'node:http';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, dirname, join, normalize } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll } from 'vitest';
import type { HostTensor } from '../../src/runtime/types.js';
import type { DType } from '../../src/ir/dtype.js';

export interface BrowserModelJob {
  name: string;
  tflite: Uint8Array;
  /** In the model's input order; float32, int32 or uint8 (what LiteRT.js feeds). */
  inputs: HostTensor[];
}

export type AcceleratorRun =
  | { ok: true; accelerator: string; fullyAccelerated: boolean; outputs: HostTensor[]; compileMs: number; runMs: number }
  | { ok: false; error: string };

export interface Delegation {
  fullyDelegated: boolean;
  /** Why not (empty when fully delegated): flags and console lines that showed the fallback. */
  evidence: string[];
  /** Op names the delegate logged as unsupported (from its "… not supported" lines). */
  fallbackOps: string[];
}

export interface ModelRun {
  name: string;
  webgpu: AcceleratorRun;
  wasm: AcceleratorRun;
  /** Console lines printed while the webgpu model compiled and ran. */
  webgpuLog: string[];
  delegation: Delegation;
}

/** Chromium is not installed (or not where we look): tests skip with this message. */
export class ChromiumMissing extends Error {}

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--enable-unsafe-webgpu',
  '--enable-unsafe-swiftshader',
  '--use-webgpu-adapter=swiftshader',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** `MAI_CHROMIUM`, else `chromium` / `chromium-browser` on PATH. */
export function chromiumPath(): string | undefined {
  const env = process.env.MAI_CHROMIUM;
  if (env) return existsSync(env) ? env : undefined;
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    for (const exe of ['chromium', 'chromium-browser']) {
      const p = join(dir, exe);
      if (dir && existsSync(p)) return p;
    }
  }
  return undefined;
}

function litertRoot(): string {
  const require = createRequire(import.meta.url);
  return dirname(dirname(require.resolve('@litertjs/core/package.json')));
}

/**
 * The page. A classic script wraps console.* before the wasm loader binds it,
 * so every line LiteRT prints lands in `__log` and each model's lines can be
 * cut out by index.
 */
const PAGE = `<!doctype html><html><head>
<script>
window.__log = [];
for (const level of ['log', 'info', 'warn', 'error', 'debug']) {
  const orig = console[level].bind(console);
  console[level] = (...args) => { window.__log.push(args.filter((a) => typeof a !== 'string' || !a.startsWith('background:') && !a.startsWith('color:') && !a.startsWith('font-weight')).map(String).join(' ').replace(/%c/g, '')); orig(...args); };
}
</script>
<script type="importmap">{"imports":{"@litertjs/core":"/lrt/core/dist/index.js","@litertjs/wasm-utils":"/lrt/wasm-utils/dist/index.js"}}</script>
</head><body><script type="module">
import * as lrt from '@litertjs/core';
const TYPES = { float32: Float32Array, int32: Int32Array, uint8: Uint8Array };
function b64(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}
async function bytesOf(url) {
  const r = await fetch(url);
  if (!r.ok) throw new Error(url + ': HTTP ' + r.status);
  return new Uint8Array(await r.arrayBuffer());
}
async function runOne(id, accelerator, precision) {
  const meta = await (await fetch('/job/' + id + '/meta')).json();
  const model = await bytesOf('/job/' + id + '/model');
  const t0 = performance.now();
  const m = await lrt.loadAndCompile(model, accelerator === 'webgpu' ? { accelerator, gpuOptions: { precision } } : { accelerator });
  const t1 = performance.now();
  const tensors = [];
  try {
    for (let k = 0; k < meta.inputs.length; k++) {
      const raw = await bytesOf('/job/' + id + '/input/' + k);
      const T = TYPES[meta.inputs[k].dtype];
      tensors.push(new lrt.Tensor(new T(raw.buffer, raw.byteOffset, raw.byteLength / T.BYTES_PER_ELEMENT), meta.inputs[k].shape));
    }
    const outs = await m.run(tensors);
    const details = m.getOutputDetails();
    const outputs = [];
    for (let i = 0; i < outs.length; i++) {
      const data = await outs[i].data();
      outputs.push({ name: details[i] ? details[i].name : 'output_' + i, dtype: outs[i].type.dtype, shape: Array.from(outs[i].type.layout.dimensions), b64: b64(new Uint8Array(data.buffer, data.byteOffset, data.byteLength)) });
      outs[i].delete();
    }
    const t2 = performance.now();
    return { ok: true, accelerator: m.options.accelerator, fullyAccelerated: m.isFullyAccelerated, outputs, compileMs: t1 - t0, runMs: t2 - t1 };
  } finally {
    for (const t of tensors) t.delete();
    m.delete();
  }
}
window.runJob = async (id, precision) => {
  const from = window.__log.length;
  let webgpu, wasm;
  try { webgpu = await runOne(id, 'webgpu', precision); } catch (e) { webgpu = { ok: false, error: String(e && e.message || e) }; }
  const webgpuLog = window.__log.slice(from);
  try { wasm = await runOne(id, 'wasm'); } catch (e) { wasm = { ok: false, error: String(e && e.message || e) }; }
  return { webgpu, wasm, webgpuLog };
};
window.ready = lrt.loadLiteRt('/lrt/core/wasm/', { jspi: true }).then(async () => {
  const env = lrt.getDefaultEnvironment ? lrt.getDefaultEnvironment() : undefined;
  if (!env || !env.webGpuDevice) throw new Error('LiteRT.js created no WebGPU device (navigator.gpu: ' + (typeof navigator.gpu) + ')');
  const adapter = await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' });
  const info = adapter && adapter.info ? adapter.info : {};
  window.adapter = { vendor: info.vendor, architecture: info.architecture, description: info.description, shaderF16: !!(adapter && adapter.features.has('shader-f16')), deviceF16: env.webGpuDevice.features.has('shader-f16') };
  return 'ok';
});
</script></body></html>`;

const TYPED: Record<string, { new (b: ArrayBuffer, o: number, n: number): HostTensor['data']; BYTES_PER_ELEMENT: number }> = {
  float32: Float32Array,
  int32: Int32Array,
  uint8: Uint8Array,
};

function decodeOutput(o: { name: string; dtype: string; shape: number[]; b64: string }): HostTensor {
  const buf = Buffer.from(o.b64, 'base64');
  const T = TYPED[o.dtype];
  if (!T) throw new Error(`LiteRT.js returned output '${o.name}' as ${o.dtype}`);
  const copy = new ArrayBuffer(buf.byteLength);
  new Uint8Array(copy).set(buf);
  return { name: o.name, dtype: o.dtype as DType, shape: o.shape, data: new T(copy, 0, buf.byteLength / T.BYTES_PER_ELEMENT) };
}

/**
 * Lines LiteRT.js / the delegate print when a model does not run entirely on
 * the delegate (LiteRT.js's "not fully compiled" warning in both its JSPI and
 * non-JSPI wording, TFLite's "… not supported by the delegate" / partition lines).
 */
const FALLBACK_LINE = /not fully compiled|will run on the CPU|Falling back|fall(?:ing)? ?back|Partially delegating|not supported|unsupported|Replacing \d+ out of \d+ node/i;

/**
 * The delegate's list after "Following operations are not supported by GPU
 * delegate:": one "OPNAME: reason node_name" line per rejected op/tensor.
 */
function opsInLines(log: string[]): string[] {
  const ops = new Set<string>();
  let inList = false;
  for (const l of log) {
    if (/Following operations are not supported/i.test(l)) {
      inList = true;
      continue;
    }
    const m = /^\s*([A-Z][A-Z0-9_]*): /.exec(l);
    if (inList && m && !/^(INFO|WARNING|ERROR|VERBOSE)$/.test(m[1]!)) ops.add(m[1]!);
    else inList = false;
  }
  return [...ops].sort();
}

/** Fully delegated = compiled for webgpu, every node accelerated, no fallback line printed. */
export function delegationOf(webgpu: AcceleratorRun, log: string[]): Delegation {
  const evidence: string[] = [];
  if (!webgpu.ok) evidence.push(`webgpu load/run failed: ${webgpu.error}`);
  else {
    if (webgpu.accelerator !== 'webgpu') evidence.push(`compiled for ${webgpu.accelerator} instead of webgpu`);
    if (!webgpu.fullyAccelerated) evidence.push('CompiledModel.isFullyAccelerated = false');
  }
  evidence.push(...log.filter((l) => FALLBACK_LINE.test(l)).map((l) => l.trim()));
  return { fullyDelegated: evidence.length === 0, evidence, fallbackOps: opsInLines(log) };
}

/** The WebGPU adapter LiteRT.js got (SwiftShader on a machine without a GPU). */
export interface AdapterInfo {
  vendor?: string;
  architecture?: string;
  description?: string;
  /** The adapter offers WGSL f16 (`shader-f16`); the device LiteRT.js created has it enabled. */
  shaderF16: boolean;
  deviceF16: boolean;
}

export interface LiteRtChromium {
  readonly adapter: AdapterInfo;
  /** precision: the WebGPU delegate's `gpuOptions.precision` (default 'fp16', as on a phone). */
  run(jobs: BrowserModelJob[], opts?: { precision?: 'fp16' | 'fp32'; onProgress?: (done: number) => void }): Promise<ModelRun[]>;
  close(): Promise<void>;
  readonly chromium: string;
}

function serve(jobs: Map<string, BrowserModelJob>): Server {
  const root = litertRoot();
  return createServer((req, res) => {
    const url = decodeURIComponent((req.url ?? '/').split('?')[0]!);
    const send = (body: string | Uint8Array, type: string) => {
      res.setHeader('content-type', type);
      res.setHeader('cache-control', 'no-store');
      res.end(body);
    };
    if (url === '/') return send(PAGE, 'text/html');
    const job = /^\/job\/(\d+)\/(meta|model|input\/(\d+))$/.exec(url);
    if (job) {
      const j = jobs.get(job[1]!);
      if (j && job[2] === 'meta') return send(JSON.stringify({ inputs: j.inputs.map((t) => ({ dtype: t.dtype, shape: t.shape })) }), 'application/json');
      if (j && job[2] === 'model') return send(j.tflite, 'application/octet-stream');
      const t = j?.inputs[Number(job[3])];
      if (t) return send(new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), 'application/octet-stream');
    }
    if (url.startsWith('/lrt/')) {
      const file = normalize(join(root, url.slice(5)));
      if (file.startsWith(root + '/') && existsSync(file)) {
        return send(readFileSync(file), file.endsWith('.js') ? 'text/javascript' : file.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream');
      }
    }
    res.statusCode = 404;
    res.end();
  });
}

type PageResult = {
  webgpu: AcceleratorRun | { ok: true; outputs: Array<{ name: string; dtype: string; shape: number[]; b64: string }> };
  wasm: AcceleratorRun | { ok: true; outputs: Array<{ name: string; dtype: string; shape: number[]; b64: string }> };
  webgpuLog: string[];
};

/** One model's page run: ok, or the page died / hung (the model is reported failed and a fresh page takes over). */
type Attempt = { result: PageResult } | { crashed: string };

/** A model that has not finished after this long counts as hung (SwiftShader runs the largest test model in ~15 s). */
const MODEL_TIMEOUT_MS = 120_000;
const PAGE_RECYCLE = 25;
const PAGE_CRASHED = 'the page crashed';

/**
 * Starts the server and Chromium and loads LiteRT.js with a WebGPU device.
 * Throws ChromiumMissing when no Chromium binary is found; any other failure
 * (no WebGPU adapter, LiteRT.js failed to load) throws with the page's message.
 * A model that crashes the page runs once more on a fresh page; one that crashes it
 * again, or hangs it, is reported as failed and the next one gets a fresh page (a
 * fresh browser if the old one died).
 */
export async function launchLiteRtChromium(): Promise<LiteRtChromium> {
  const exe = chromiumPath();
  if (!exe) throw new ChromiumMissing('no Chromium: `chromium` is not on PATH and MAI_CHROMIUM is unset (Debian: apt-get install chromium)');
  const { chromium } = await import('playwright-core');
  const jobs = new Map<string, BrowserModelJob>();
  const server = serve(jobs);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const port = (server.address() as { port: number }).port;
  let browser: Browser | undefined;
  let page: Page | undefined;
  const closeAll = async () => {
    await browser?.close().catch(() => undefined);
    browser = undefined;
    await new Promise<void>((r) => server.close(() => r()));
  };

  const openPage = async (): Promise<AdapterInfo> => {
    await page?.close().catch(() => undefined);
    if (!browser?.isConnected()) {
      await browser?.close().catch(() => undefined);
      browser = await chromium.launch({ executablePath: exe, args: FLAGS, timeout: 60_000 });
    }
    page = await browser.newPage();
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/`);
    const ready = await page.evaluate(() => (window as unknown as { ready: Promise<string> }).ready).catch((e: Error) => `${e.message}`);
    if (ready !== 'ok') throw new Error(`LiteRT.js did not start in Chromium (${exe}): ${ready}${errors.length ? ` | ${errors.join(' | ')}` : ''}`);
    return page.evaluate(() => (window as unknown as { adapter: AdapterInfo }).adapter);
  };

  const attempt = async (id: string, precision: string): Promise<Attempt> => {
    const p = page!;
    let timer: NodeJS.Timeout | undefined;
    const hung = new Promise<Attempt>((resolve) => {
      timer = setTimeout(() => resolve({ crashed: `no result after ${MODEL_TIMEOUT_MS / 1000} s` }), MODEL_TIMEOUT_MS);
    });
    const died = new Promise<Attempt>((resolve) => p.once('crash', () => resolve({ crashed: PAGE_CRASHED })));
    const ran = p
      .evaluate((a) => (window as unknown as { runJob(i: string, p: string): Promise<unknown> }).runJob(a.id, a.precision), { id, precision })
      .then((r): Attempt => ({ result: r as PageResult }), (e: Error): Attempt => ({ crashed: e.message.split('\n')[0]! }));
    try {
      return await Promise.race([ran, hung, died]);
    } finally {
      clearTimeout(timer);
    }
  };

  let adapter: AdapterInfo;
  try {
    adapter = await openPage();
  } catch (e) {
    await closeAll();
    throw e;
  }
  let next = 0;
  let sinceFresh = 0;
  return {
    chromium: exe,
    adapter,
    async run(batch, opts = {}) {
      const precision = opts.precision ?? 'fp16';
      const out: ModelRun[] = [];
      for (const job of batch) {
        const id = String(next++);
        jobs.set(id, job);
        try {
          // A fresh page every PAGE_RECYCLE models: after a few hundred compiles in one page the
          // WebGPU runs of later models returned stale values (rank-2 outputs as zeros) that the
          // same model run in a fresh page does not.
          if (sinceFresh >= PAGE_RECYCLE) {
            await openPage();
            sinceFresh = 0;
          }
          sinceFresh++;
          let a = await attempt(id, precision);
          // A renderer crash (not a hang, not a page error) is Chromium's, not the model's: one more try
          // on a fresh page; a model that crashes that page too is reported as failed.
          if ('crashed' in a && a.crashed === PAGE_CRASHED) {
            console.warn(`${job.name}: the Chromium page crashed; running it again on a fresh page`);
            await openPage();
            sinceFresh = 1;
            a = await attempt(id, precision);
          }
          if ('crashed' in a) {
            const failed: AcceleratorRun = { ok: false, error: `Chromium page lost while running this model: ${a.crashed}` };
            out.push({ name: job.name, webgpu: failed, wasm: failed, webgpuLog: [], delegation: delegationOf(failed, []) });
            await openPage();
            sinceFresh = 0;
          } else {
            const r = a.result;
            const decode = (x: typeof r.webgpu): AcceleratorRun => (x.ok ? { ...(x as Extract<AcceleratorRun, { ok: true }>), outputs: (x.outputs as unknown as Parameters<typeof decodeOutput>[0][]).map(decodeOutput) } : x);
            const webgpu = decode(r.webgpu);
            out.push({ name: job.name, webgpu, wasm: decode(r.wasm), webgpuLog: r.webgpuLog, delegation: delegationOf(webgpu, r.webgpuLog) });
          }
        } finally {
          jobs.delete(id);
        }
        opts.onProgress?.(out.length);
      }
      return out;
    },
    close: closeAll,
  };
}

/** How long the beforeAll may take to start Chromium and load LiteRT.js on busy cores. */
const LAUNCH_TIMEOUT_MS = 120_000;

/**
 * Registers a beforeAll that launches LiteRT.js in Chromium and an afterAll that
 * closes it, for the enclosing describe. Returns a handle that forwards to the
 * launched lab; its adapter and chromium stay readable in the describe's other
 * afterAll hooks, whichever order they run in.
 */
export function useLiteRtChromium(): LiteRtChromium {
  let lab: LiteRtChromium | undefined;
  beforeAll(async () => {
    lab = await launchLiteRtChromium();
  }, LAUNCH_TIMEOUT_MS);
  afterAll(async () => lab?.close());
  const launched = (): LiteRtChromium => {
    if (!lab) throw new Error('LiteRT.js Chromium is not running: its beforeAll failed or has not run');
    return lab;
  };
  return {
    get adapter() {
      return launched().adapter;
    },
    get chromium() {
      return launched().chromium;
    },
    run: (jobs, opts) => launched().run(jobs, opts),
    close: async () => lab?.close(),
  };
}
