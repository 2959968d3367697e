/**
 * `kill` of `mai sim` (the compiled CLI, as `npx mai sim` runs it) stops it with 143 / 130, closes
 * its connections and frees its port: a new server can listen on the same port right after.
 */
import { spawn } from 'node:child_process';
import net from 'node:net';
import { describe, expect, it } from 'vitest';
import { DIST_MAIN } from '../../scripts/dist.js';
import { firstLine } from '../helpers/child-lines.js';

function listenOn(port: number): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
}

describe('mai sim stops on a signal', () => {
  for (const [signal, code] of [
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const) {
    it(`${signal}: exit ${code} at once with a client connected, and the port is free`, async () => {
      const child = spawn(process.execPath, [DIST_MAIN, 'sim', '--port', '0', '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
      const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((r) => child.once('exit', (c, s) => r({ code: c, signal: s })));
      const { port } = JSON.parse(await firstLine(child)) as { port: number };
      // A client holding a connection open (an adb host-service request without its end).
      const client = net.connect(port, '127.0.0.1');
      client.on('error', () => {}); // the server resets it on the way out
      client.resume(); // read the reply, so that the end of the stream is seen
      await new Promise<void>((r) => client.once('connect', () => r()));
      client.write('000chost:version');
      const clientClosed = new Promise<void>((r) => client.once('close', () => r()));
      await expect(listenOn(port)).rejects.toMatchObject({ code: 'EADDRINUSE' });
      const t = performance.now();
      child.kill(signal);
      expect(await exited).toEqual({ code, signal: null });
      expect(performance.now() - t).toBeLessThan(1500); // closed by its hook, not by the grace timeout
      await clientClosed;
      const again = await listenOn(port);
      await new Promise<void>((r) => again.close(() => r()));
    });
  }
});
