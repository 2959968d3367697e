/**
 * The simulated device's shell parses like mksh (Android's /system/bin/sh): unit cases for each
 * construct, the command log (an injection shows up), and a differential property test: random
 * command lines built from quotes, expansions, substitutions and operators print the same in the
 * simulator as in mksh (and dash) with the phone's HOME.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SimDevice } from '../../src/devicelab/sim/device.js';
import { SimShell } from '../../src/devicelab/sim/shell.js';
import { chmodStep, getpropStep, HEALTH_LINE, mkdirStep, removeStep, sha256Step } from '../../src/devicelab/deploy/commands.js';
import { parseHealth } from '../../src/devicelab/deploy/health.js';

const noGraph = () => {
  throw new Error('no model');
};

async function run(line: string, d = new SimDevice()) {
  const r = await new SimShell(d, noGraph).run(line);
  return { ...r, argvs: d.commands.argvs(), errors: d.commands.errors(), device: d };
}

describe('the simulated shell', () => {
  it('quotes: single, double with escapes, backslashes; empty words survive only when quoted', async () => {
    const r = await run(`printf '[%s]' 'a  b' "c \\"d\\" \\$e \\\\ \\x" f\\ g '' "" $EMPTY h`);
    expect(r.argvs).toEqual([['printf', '[%s]', 'a  b', 'c "d" $e \\ \\x', 'f g', '', '', 'h']]);
    expect(r.output).toBe('[a  b][c "d" $e \\ \\x][f g][][][h]');
  });

  it('; && || | and ! run and skip as sh does; $? is the last status', async () => {
    const r = await run('false && echo no; false || echo yes; true && echo and; ! true; echo $?; echo x | grep x; nosuch; echo "rc=$?"');
    expect(r.output).toBe('yes\nand\n1\nx\n/system/bin/sh: nosuch: inaccessible or not found\nrc=127\n');
  });

  it('$(…) and backticks substitute stdout (trailing newlines removed), split unless quoted', async () => {
    const r = await run('printf "<%s>" $(printf "a b\\n\\n") "$(printf "c  d")" `echo e`');
    expect(r.output).toBe('<a><b><c  d><e>');
    expect(r.argvs.at(-1)).toEqual(['printf', '<%s>', 'a', 'b', 'c  d', 'e']);
  });

  it('redirections: 2>/dev/null, >/dev/null, 2>&1 into a pipe, > and >> files, < stdin', async () => {
    const r = await run(
      'cat /nope 2>/dev/null; echo out >/dev/null; cat /nope 2>&1 | grep -c . ; echo a > /data/local/tmp/f; echo b >> /data/local/tmp/f; cat < /data/local/tmp/f',
    );
    expect(r.output).toBe('cat: /nope: No such file or directory\na\nb\n');
    expect(r.argvs).toContainEqual(['grep', '-c', '.']);
  });

  it('globs expand against the device filesystem; quoted wildcards are literal; no match leaves the word', async () => {
    const d = new SimDevice();
    for (const f of ['a.tflite', 'b.tflite', '*.tflite', '.hidden.tflite']) d.fs.writeFile(`/data/local/tmp/${f}`, Buffer.from('x'));
    const r = await run("ls /data/local/tmp/*.tflite; ls '/data/local/tmp/*.tflite'; ls /data/local/tmp/\\*.tflite; echo /data/local/tmp/[ab].tflite /nomatch*", d);
    expect(r.argvs).toEqual([
      ['ls', '/data/local/tmp/*.tflite', '/data/local/tmp/a.tflite', '/data/local/tmp/b.tflite'],
      ['ls', '/data/local/tmp/*.tflite'],
      ['ls', '/data/local/tmp/*.tflite'],
      ['echo', '/data/local/tmp/a.tflite', '/data/local/tmp/b.tflite', '/nomatch*'],
    ]);
  });

  it('the issue injection, sent unquoted, runs touch — and the log shows it', async () => {
    const r = await run('sha256sum /data/local/tmp/mai/a;touch $HOME-pwned.tflite 2>/dev/null');
    expect(r.argvs).toEqual([
      ['sha256sum', '/data/local/tmp/mai/a'],
      ['touch', '/-pwned.tflite'],
    ]);
    expect(r.device.fs.get('/-pwned.tflite')?.type).toBe('file');
  });

  it('an unknown command, a non-executable file and a syntax error are errors in the log', async () => {
    const d = new SimDevice();
    d.fs.writeFile('/data/local/tmp/plain', Buffer.from('x'));
    await run('reboot now', d);
    await run('/data/local/tmp/plain --x', d);
    await run("echo 'open", d);
    await run('if true; then reboot; fi', d);
    await run('echo $((1+1))', d);
    expect(d.commands.errors()).toEqual([
      { line: 'reboot now', argv: ['reboot', 'now'], exitCode: 127, error: '/system/bin/sh: reboot: inaccessible or not found' },
      { line: '/data/local/tmp/plain --x', argv: ['/data/local/tmp/plain', '--x'], exitCode: 126, error: "/system/bin/sh: /data/local/tmp/plain: can't execute: Permission denied" },
      { line: "echo 'open", exitCode: 1, error: 'no closing quote' },
      { line: 'if true; then reboot; fi', exitCode: 1, error: "the simulated shell does not run 'if' (compound commands)" },
      { line: 'echo $((1+1))', exitCode: 1, error: 'the simulated shell does not do arithmetic $(( … ))' },
    ]);
  });

  it('serves every command deploy and mai devices send', async () => {
    const d = new SimDevice();
    const dir = '/data/local/tmp/mai';
    const bin = `${dir}/benchmark_model`;
    const lines = [
      getpropStep().line,
      mkdirStep(dir).line,
      sha256Step(bin).line,
      chmodStep(bin).line,
      HEALTH_LINE,
      removeStep(`${dir}/x.tflite`).line,
      // src/cli/commands/devices.ts
      'getprop ro.product.model; getprop ro.board.platform; getprop ro.build.version.release; getprop ro.mai.simulated',
    ];
    for (const l of lines) {
      if (l === sha256Step(bin).line) d.fs.writeFile(bin, Buffer.from('bin')); // as pushed by sync
      expect((await run(l, d)).exitCode, l).toBe(0);
    }
    expect(d.commands.errors()).toEqual([]);
    expect(d.commands.argvs().map((a) => a[0])).toEqual(['getprop', 'mkdir', 'sha256sum', 'chmod', 'grep', 'dumpsys', 'rm', 'getprop', 'getprop', 'getprop', 'getprop']);
    const health = (await run(HEALTH_LINE, d)).output;
    expect(parseHealth(health)).toMatchObject({ thermalC: { gpu: expect.any(Number) }, gpuMaxMHz: 759, batteryLevel: 87 });
  });
});

describe('property: any text is a result, never a crash or a hang', () => {
  it('random text from shell syntax characters (2000 runs): the shell answers, refusals are logged', async () => {
    const unit = fc.constantFrom('echo', ' ', 'a', ';', '&', '|', '(', ')', '$', '$(', '`', "'", '"', '\\', '\n', '>', '<', '2>&1', '#', '{', '}', '*', 'if', '!', '=', '~', '$((', '<<');
    await fc.assert(
      fc.asyncProperty(fc.string({ unit, maxLength: 16 }), async (text) => {
        const d = new SimDevice();
        const r = await new SimShell(d, noGraph).run(text);
        expect(typeof r.output).toBe('string');
        for (const e of d.commands.errors()) expect(e.exitCode).toBeGreaterThan(0);
        if (r.output.includes('syntax error') || r.output.includes('no closing quote')) expect(d.commands.errors().length).toBeGreaterThan(0);
      }),
      { numRuns: 2000 },
    );
  });
});

/** Random command lines: printf / echo / true / false with words of every quoting kind, joined by operators. */
// (no `%`, no leading `-`: plain words are also printf formats below)
const plain = fc.stringMatching(/^[A-Za-z0-9_.,:+=@-]{1,6}$/).filter((s) => !s.startsWith('-') && !/^[A-Za-z_][A-Za-z0-9_]*=/.test(s));
const inner = fc.string({ unit: fc.constantFrom('a', ' ', '  ', ';', '|', '&', '$', '`', '\\', '"', '*', '#', '\n', 'é', '\t'), maxLength: 6 });
const word: fc.Arbitrary<string> = fc.oneof(
  plain,
  inner.map((s) => `'${s.replace(/'/g, '')}'`),
  inner.map((s) => `"${s.replace(/[\\"$`]/g, (c) => `\\${c}`)}"`),
  inner.filter((s) => s.length > 0).map((s) => [...s].map((c) => (c === '\n' ? "'\n'" : `\\${c}`)).join('')),
  fc.constantFrom('$HOME', '"$HOME"', '~', '~/x', '$?', '"$?"', '$NOPE', '"$NOPE"', "''", '""', '${HOME}'),
  plain.map((s) => `$(printf '%s  x' ${s})`),
  plain.map((s) => `"$(printf '%s  x' ${s})"`),
  plain.map((s) => `\`printf ${s}\``),
);
const command = fc.oneof(
  { weight: 4, arbitrary: fc.array(word, { minLength: 1, maxLength: 4 }).map((ws) => `printf '[%s]' ${ws.join(' ')}`) },
  { weight: 1, arbitrary: fc.array(plain, { minLength: 1, maxLength: 3 }).map((ws) => `echo ${ws.join(' ')}`) },
  { weight: 1, arbitrary: fc.constantFrom('true', 'false', 'printf "%s\\n" $?', 'x=$(false)', 'x=$(true) y=`false`', 'NOPE=1') },
);
const line = fc
  .tuple(command, fc.array(fc.tuple(fc.constantFrom(';', ' && ', ' || ', '\n', ' | cat;'), command), { maxLength: 3 }))
  .map(([first, rest]) => first + rest.map(([op, c]) => op + c).join(''));

const SHELLS = [
  { name: 'mksh', path: '/usr/bin/mksh' },
  { name: 'dash', path: '/bin/sh' },
].filter((s) => {
  const ok = existsSync(s.path);
  if (!ok) console.warn(`sim-shell.test: ${s.path} not installed: the ${s.name} differential test is skipped`);
  return ok;
});

export const DIFF_RUNS = 300;

describe('property: the simulator prints what a real shell prints', () => {
  for (const shell of SHELLS) {
    it(`random command lines, simulator vs ${shell.name} (${DIFF_RUNS} runs)`, async () => {
      await fc.assert(
        fc.asyncProperty(line, async (l) => {
          const real = spawnSync(shell.path, ['-c', l], { encoding: 'utf8', env: { HOME: '/', PATH: process.env.PATH }, timeout: 10_000 });
          const sim = await run(l);
          expect(sim.errors).toEqual([]);
          expect(real.stderr).toBe('');
          expect(sim.output).toBe(real.stdout);
          expect(sim.exitCode).toBe(real.status);
        }),
        { numRuns: DIFF_RUNS },
      );
    });
  }
});
