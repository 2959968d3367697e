import { CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import { reportError } from '../../src/cli/run.js';
import type { Output } from '../../src/cli/output.js';
import { environmentError, inputError, INTERNAL_EXIT, internalError, verdictError } from '../../src/core/errors.js';

function capture(): Output & { outText: string[]; errText: string[] } {
  const outText: string[] = [];
  const errText: string[] = [];
  return { outText, errText, out: (t) => outText.push(t), err: (t) => errText.push(t), isTTY: false };
}

describe('the CLI error handler', () => {
  it('maps verdicts, bad input and environment failures to 1, 2, 3 with their code', () => {
    for (const [e, exit] of [
      [verdictError('budget-failed', 'x'), 1],
      [inputError('file-not-found', 'x'), 2],
      [environmentError('adb-unreachable', 'x'), 3],
    ] as const) {
      const o = capture();
      expect(reportError(e, true, o)).toBe(exit);
      expect(JSON.parse(o.outText[0]!).error).toBe(e.code);
    }
  });

  it('exits 70 on an internal error, asking for a report, never 3', () => {
    const o = capture();
    expect(reportError(internalError("IR: no tensor named 'x'"), false, o)).toBe(INTERNAL_EXIT);
    expect(INTERNAL_EXIT).toBe(70);
    expect(o.errText.join('\n')).toMatch(/^mai: internal error: IR: no tensor named 'x'\n {2}this is a bug in mai: please report it/);
    const j = capture();
    expect(reportError(internalError('broken'), true, j)).toBe(70);
    expect(JSON.parse(j.outText[0]!)).toEqual({ error: 'internal', message: 'broken' });
  });

  it('treats an untyped error as internal (70) unless it is an operating-system failure (3)', () => {
    const o = capture();
    expect(reportError(new TypeError('x is undefined'), true, o)).toBe(70);
    expect(JSON.parse(o.outText[0]!).error).toBe('internal');
    const enospc = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const s = capture();
    expect(reportError(enospc, false, s)).toBe(3);
    expect(s.errText).toEqual(['mai: error: ENOSPC: no space left on device, write']);
  });

  it('answers a usage error with exit 2 and one JSON document', () => {
    const o = capture();
    expect(reportError(new CommanderError(1, 'commander.unknownOption', "error: unknown option '--x'"), true, o)).toBe(2);
    expect(JSON.parse(o.outText[0]!)).toEqual({ error: 'usage', message: "unknown option '--x'" });
  });
});
