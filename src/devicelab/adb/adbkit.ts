/** adbkit, loaded once (a CommonJS package: its named exports hang off the default import under ESM). */
import adbkit from '@devicefarmer/adbkit';
import type { Client, DeviceClient } from '@devicefarmer/adbkit';

// Node's ESM loader hands us module.exports (with .Adb); bundlers honouring __esModule (vitest) hand us the Adb class itself.
const mod = adbkit as unknown as { Adb?: typeof adbkit.Adb };
export const Adb: typeof adbkit.Adb = mod.Adb ?? (adbkit as unknown as typeof adbkit.Adb);
export type { Client, DeviceClient };

/**
 * adbkit runs `<bin> -P PORT start-server` when a connection is refused (it has no option to turn
 * that off), which leaves a real `adb fork-server` daemon running after mai exits. mai never starts
 * an adb server: `bin` points at a path that cannot exist, and the resulting spawn error is turned
 * back into the refused connection it stands for.
 */
export const NO_ADB_BIN = '/nonexistent/mai-never-starts-an-adb-server';

/** The adb server to look at when devices.yaml names none: $ADB_HOST:$ADB_PORT, else 127.0.0.1:5037. */
export function defaultAdbServer(): { host: string; port: number } {
  return { host: process.env.ADB_HOST ?? '127.0.0.1', port: Number(process.env.ADB_PORT ?? 5037) };
}

/** An adbkit client for an adb server (real or simulated) that never starts a server. */
export function adbClient(host: string, port: number): Client {
  const client = Adb.createClient({ host, port, bin: NO_ADB_BIN });
  const connection = client.connection.bind(client);
  client.connection = (() =>
    connection().catch((e: NodeJS.ErrnoException & { path?: string }) => {
      if (e?.path === NO_ADB_BIN || String(e?.message).includes(NO_ADB_BIN)) {
        const refused = new Error(`adb server at ${host}:${port} is unreachable (connection refused)`) as NodeJS.ErrnoException;
        refused.code = 'ECONNREFUSED';
        throw refused;
      }
      throw e;
    })) as typeof client.connection;
  return client;
}

/** Read a shell stream to the end. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return Adb.util.readAll(stream as never);
}
