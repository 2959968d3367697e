import { spawn } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { adbClient, readAll } from '../../src/devicelab/adb/adbkit.js';

describe('mai sim', () => {
  it('runs the simulated Kirin 9000 in the foreground until SIGTERM, with faults from flags', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/cli/main.ts', 'sim', '--port', '0', '--hot', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      const first = await new Promise<string>((resolve, reject) => {
        let buf = '';
        child.stdout.on('data', (d) => {
          buf += d;
          if (buf.includes('\n')) resolve(buf.split('\n')[0]!);
        });
        child.once('exit', (c) => reject(new Error(`mai sim exited with ${c}`)));
      });
      const info = JSON.parse(first);
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
});
