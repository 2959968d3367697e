import { spawn, type ChildProcessByStdio } from 'node:child_process';
import type { Readable } from 'node:stream';
import net from 'node:net';
import { mai } from '../helpers/cli.js';
import { firstLine } from '../helpers/child-lines.js';
import { describe, expect, it } from 'vitest';
import { adbClient, readAll } from '../../src/devicelab/adb/adbkit.js';

/** `mai sim --port 0 --json …` as a child process. */
const spawnSim = (...args: string[]) => spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--port', '0', '--json', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });

/** The first line the child prints, parsed as JSON; rejects when the child exits first. */
const firstJsonLine = async (child: ChildProcessByStdio<null, Readable, Readable>): Promise<{ port: number } & Record<string, unknown>> => JSON.parse(await firstLine(child));

describe('mai sim', () => {
  it('runs the simulated Kirin 9000 in the foreground until SIGTERM, with faults from flags', async () => {
    const child = spawnSim('--hot');
    try {
      const info = await firstJsonLine(child);
      expect(info).toMatchObject({ host: '127.0.0.1', serial: 'sim-kirin9000-1', simulated: true });
      const client = adbClient('127.0.0.1', info.port);
      expect(await client.listDevices()).toEqual([{ id: 'sim-kirin9000-1', type: 'device' }]);
      const maxFreq = (await readAll(await client.getDevice('sim-kirin9000-1').shell('cat /sys/class/devfreq/gpufreq/max_freq'))).toString().trim();
      expect(maxFreq).toBe('455000000');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('--profile serves another phone: its GPU, clock and serial', async () => {
    const child = spawnSim('--profile', 'kirin990');
    try {
      const info = await firstJsonLine(child);
      expect(info).toMatchObject({ serial: 'sim-kirin990-1', profile: 'kirin990', simulated: true });
      const dev = adbClient('127.0.0.1', info.port).getDevice('sim-kirin990-1');
      expect((await readAll(await dev.shell('cat /sys/class/devfreq/gpufreq/max_freq'))).toString().trim()).toBe('600000000');
      expect((await readAll(await dev.shell('getprop ro.mai.gpu'))).toString().trim()).toBe('Mali-G76 MP16');
    } finally {
      const exited = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    }
  });

  it('argument errors: a bad --port or fault count is exit 2; a busy port is exit 3 naming it', async () => {
    for (const [args, msg] of [
      [['--port', 'abc'], /--port must be a TCP port number 0–65535 \(got 'abc'\)/],
      [['--port', '70000'], /--port must be a TCP port number/],
      [['--port', '0', '--fault-push-disconnect', 'abc'], /--fault-push-disconnect must be an integer ≥ 0 \(got 'abc'\)/],
      [['--port', '0', '--fault-bench-crash', '-1'], /--fault-bench-crash must be an integer ≥ 0/],
      [['--port', '0', '--profile', 'kirin9001'], /no simulated device profile 'kirin9001'[\s\S]*kirin990/],
    ] as const) {
      const r = await mai('sim', ...args);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr).toMatch(msg);
    }
    const busy = net.createServer();
    await new Promise<void>((r) => busy.listen(0, '127.0.0.1', () => r()));
    const port = (busy.address() as net.AddressInfo).port;
    try {
      const r = await mai('sim', '--port', String(port));
      expect(r.code).toBe(3);
      expect(r.stderr).toContain(`mai sim cannot listen on 127.0.0.1:${port}: the port is in use`);
      expect(r.stderr).not.toContain('internal error');
    } finally {
      await new Promise<void>((r) => busy.close(() => r()));
    }
  });
});
