/** `mai lab worker` as a child process (its own pid: SIGKILL / SIGTERM reach the worker itself), and devices.yaml for `mai sim`-style adb servers. */
import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const CLI = fileURLToPath(new URL('../../src/cli/main.ts', import.meta.url));

export interface WorkerProcess {
  child: ChildProcess;
  /** what it printed on stderr */
  log: string[];
  /** resolves when it says it consumes a phone's queue (or `queue`, e.g. lab-build) */
  online(timeoutMs?: number, queue?: string): Promise<void>;
  /** resolves with the exit code */
  exited(): Promise<number | null>;
}

/** Short heartbeat, poll and maintenance: tests and benches see expiry in seconds. */
export function spawnWorker(o: { db: string; devicesFile: string; host: string; extraArgs?: string[] }): WorkerProcess {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', CLI, 'lab', 'worker', '--db', o.db, '--devices', o.devicesFile, '--host', o.host, '--heartbeat', '0.5', '--poll', '0.5', '--maintenance', '1', '--stop-timeout', '10', ...(o.extraArgs ?? [])],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
  const log: string[] = [];
  child.stderr!.on('data', (d: Buffer) => log.push(d.toString()));
  const exited = () => new Promise<number | null>((r) => (child.exitCode !== null || child.signalCode !== null ? r(child.exitCode) : child.once('exit', (code) => r(code))));
  return {
    child,
    log,
    exited,
    async online(timeoutMs = 60_000, queue = 'lab-device-') {
      const t0 = Date.now();
      while (!log.join('').includes(`consuming ${queue}`)) {
        if (Date.now() - t0 > timeoutMs || child.exitCode !== null) throw new Error(`worker ${o.host} did not come up:\n${log.join('')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    },
  };
}

/** devices.yaml naming phones on adb servers (a `mai sim` or a host's real adb server each). */
export function devicesYaml(entries: Array<{ id: string; serial: string; port: number }>): string {
  return `version: 1\ndevices:\n${entries.map((e) => `  - id: ${e.id}\n    tags: [kirin9000]\n    serial: ${e.serial}\n    adb: 127.0.0.1:${e.port}\n    soc: kirin9000\n    class: kirin9000\n`).join('')}`;
}
