/**
 * A short, self-contained check that an adb server answers: TCP connect, then
 * `host:version` (the first request every adb client sends), all within one
 * timeout. It never starts a server. Used before any push, so a dead or silent
 * address fails in seconds with a message naming host:port.
 */
import net from 'node:net';
import { environmentError, type MaiError } from '../../core/errors.js';

export type AdbProbe =
  | { ok: true; version: number }
  | { ok: false; kind: 'unreachable' | 'no-answer' | 'protocol'; message: string };

/** `host:version` over a fresh connection; resolves (never rejects) within about `timeoutMs`. */
export function adbHandshake(host: string, port: number, timeoutMs: number): Promise<AdbProbe> {
  const at = `${host}:${port}`;
  return new Promise((resolve) => {
    let buf = Buffer.alloc(0);
    let settled = false;
    const s = net.connect({ host, port });
    const done = (p: AdbProbe) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      s.destroy();
      resolve(p);
    };
    const timer = setTimeout(
      () =>
        done({
          ok: false,
          kind: s.connecting ? 'unreachable' : 'no-answer',
          message: s.connecting
            ? `adb server at ${at} is unreachable (no TCP connection within ${timeoutMs / 1000} s)`
            : `adb server at ${at} accepted the connection but did not answer host:version within ${timeoutMs / 1000} s`,
        }),
      timeoutMs,
    );
    s.once('connect', () => s.write('000chost:version'));
    s.on('data', (d: Buffer) => {
      buf = Buffer.concat([buf, d]);
      if (buf.length < 4) return;
      const status = buf.subarray(0, 4).toString('latin1');
      if (status === 'OKAY') {
        if (buf.length < 12) return;
        const version = parseInt(buf.subarray(8, 12).toString('latin1'), 16);
        done(Number.isFinite(version) ? { ok: true, version } : { ok: false, kind: 'protocol', message: `adb server at ${at} sent a malformed host:version reply` });
      } else if (status === 'FAIL') {
        done({ ok: false, kind: 'protocol', message: `adb server at ${at} refused host:version: ${buf.subarray(8).toString('utf8') || 'FAIL'}` });
      } else {
        done({ ok: false, kind: 'protocol', message: `adb server at ${at} does not speak the adb protocol (replied '${status.replace(/[^\x20-\x7e]/g, '?')}')` });
      }
    });
    s.once('error', (e: NodeJS.ErrnoException) => done({ ok: false, kind: 'unreachable', message: `adb server at ${at} is unreachable (${e.code ?? e.message})` }));
    s.once('close', () => done({ ok: false, kind: 'protocol', message: `adb server at ${at} closed the connection without answering host:version` }));
  });
}

/** The exit-3 error for a failed probe, with what to do next. */
export function adbProbeError(host: string, port: number, p: Extract<AdbProbe, { ok: false }>): MaiError {
  const hint =
    p.kind === 'unreachable'
      ? `start it with \`adb${port === 5037 ? '' : ` -P ${port}`} start-server\` (mai never starts one itself), or fix the adb: address in devices.yaml`
      : `something at ${host}:${port} is not an answering adb server; check the adb: address in devices.yaml (connectTimeoutSec / --connect-timeout set how long to wait)`;
  return environmentError(p.kind === 'unreachable' ? 'adb-unreachable' : 'adb-no-answer', p.message, { hint });
}
