/**
 * The quoting helper: unit cases, then property tests with hostile words — the simulator's shell
 * must parse `commandLine(argv)` back to exactly argv, and so must real shells (dash as `sh`, and
 * mksh, Android's /system/bin/sh, when installed) printing each argument NUL-terminated.
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { commandLine, commandList, glob, parseExitStatus, quoteArg, withExitStatus } from '../../src/devicelab/adb/quote.js';
import { SimDevice } from '../../src/devicelab/sim/device.js';
import { SimShell } from '../../src/devicelab/sim/shell.js';
import { hostileWord } from './hostile.js';

const noGraph = () => {
  throw new Error('no model');
};

/** Run `line` on a fresh simulated device; the argv of every command it ran. */
async function simArgvs(line: string): Promise<{ argvs: string[][]; output: string; errors: unknown[] }> {
  const d = new SimDevice();
  const r = await new SimShell(d, noGraph).run(line);
  return { argvs: d.commands.argvs(), output: r.output, errors: d.commands.errors() };
}

/** `printf '%s\0' ARG…` as the device would be sent it. */
const printfLine = (argv: string[]) => commandLine(['printf', '%s\\0', ...argv]);
const splitNul = (out: string) => out.split('\0').slice(0, -1);

const SHELLS = [
  { name: 'sh (dash)', path: '/bin/sh' },
  { name: 'mksh (Android /system/bin/sh)', path: '/usr/bin/mksh' },
].filter((s) => {
  const ok = existsSync(s.path);
  if (!ok) console.warn(`quote.test: ${s.path} not installed: the ${s.name} oracle is skipped`);
  return ok;
});

export const RUNS = { sim: 1000, realShell: 300 };

describe('quoteArg / commandLine', () => {
  it('leaves plain words bare and single-quotes the rest, writing a quote as \'\\\'\'', () => {
    expect(commandLine(['sha256sum', '/data/local/tmp/mai/ab12.tflite'], { stderr: 'discard' })).toBe('sha256sum /data/local/tmp/mai/ab12.tflite 2>/dev/null');
    expect(commandLine(['/d/benchmark_model', '--graph=/d/x.tflite'], { stderr: 'stdout' })).toBe('/d/benchmark_model --graph=/d/x.tflite 2>&1');
    expect(quoteArg('a;touch $HOME-pwned.tflite')).toBe("'a;touch $HOME-pwned.tflite'");
    expect(quoteArg("it's")).toBe("'it'\\''s'");
    expect(quoteArg('')).toBe("''");
    expect(quoteArg('*')).toBe("'*'");
    expect(quoteArg('~')).toBe("'~'");
    expect(quoteArg('{a,b}')).toBe("'{a,b}'");
  });

  it('quotes a command name that would assign or be a reserved word', () => {
    expect(commandLine(['A=b', 'x'])).toBe("'A=b' x");
    expect(commandLine(['if'])).toBe("'if'");
    expect(commandLine(['echo', 'A=b', 'if'])).toBe('echo A=b if');
  });

  it('refuses a NUL byte (exit 2) and a glob with shell syntax', () => {
    expect(() => quoteArg('a\0b')).toThrow(expect.objectContaining({ code: 'shell-nul', exit: 2 }));
    expect(() => glob('/sys/*; reboot')).toThrow(/not a plain glob/);
    expect(() => glob('/no/wildcard')).toThrow(/not a plain glob/);
  });

  it('globs stay unquoted and expand on the device; lists and the exit status marker', async () => {
    const line = withExitStatus(commandList(commandLine(['ls', glob('/sys/class/thermal/thermal_zone?/type')]), commandLine(['false'])));
    expect(line).toBe('ls /sys/class/thermal/thermal_zone?/type; false; echo __RC=$?');
    const { argvs, output } = await simArgvs(line);
    expect(argvs[0]).toHaveLength(7);
    expect(argvs[0]![1]).toBe('/sys/class/thermal/thermal_zone0/type');
    expect(parseExitStatus(output)).toEqual({ output: expect.stringContaining('thermal_zone5/type\n'), status: 1 });
    expect(parseExitStatus('cut off').status).toBeUndefined();
  });
});

describe('property: quote(argv) parses back to argv', () => {
  it(`in the simulator's shell (${RUNS.sim} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileWord(), { minLength: 1, maxLength: 6 }), async (argv) => {
        const { argvs, errors } = await simArgvs(commandLine(['echo', ...argv]));
        expect(errors).toEqual([]);
        expect(argvs).toEqual([['echo', ...argv]]);
      }),
      { numRuns: RUNS.sim },
    );
  });

  it(`a hostile command name stays one word in the simulator (${RUNS.sim} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(hostileWord().filter((w) => w !== ''), fc.array(hostileWord(), { maxLength: 3 }), async (name, args) => {
        const { argvs } = await simArgvs(commandLine([name, ...args]));
        expect(argvs).toEqual([[name, ...args]]);
      }),
      { numRuns: RUNS.sim },
    );
  });

  it(`printf '%s\\0' prints argv back in the simulator (${RUNS.sim} runs)`, async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(hostileWord(), { minLength: 1, maxLength: 6 }), async (argv) => {
        expect(splitNul((await simArgvs(printfLine(argv))).output)).toEqual(argv);
      }),
      { numRuns: RUNS.sim },
    );
  });

  for (const shell of SHELLS) {
    it(`in ${shell.name}: sh -c "printf '%s\\0' QUOTED…" prints argv back (${RUNS.realShell} runs)`, () => {
      fc.assert(
        fc.property(fc.array(hostileWord(), { minLength: 1, maxLength: 6 }), (argv) => {
          const out = execFileSync(shell.path, ['-c', printfLine(argv)], { encoding: 'utf8', timeout: 10_000 });
          expect(splitNul(out)).toEqual(argv);
        }),
        { numRuns: RUNS.realShell },
      );
    });
  }
});
