/** adbkit, loaded once (a CommonJS package: its named exports hang off the default import under ESM). */
import adbkit from '@devicefarmer/adbkit';
import type { Client, DeviceClient } from '@devicefarmer/adbkit';

// Node's ESM loader hands us module.exports (with .Adb); bundlers honouring __esModule (vitest) hand us the Adb class itself.
const mod = adbkit as unknown as { Adb?: typeof adbkit.Adb };
export const Adb: typeof adbkit.Adb = mod.Adb ?? (adbkit as unknown as typeof adbkit.Adb);
export type { Client, DeviceClient };

/** An adbkit client for an adb server (real or simulated). `bin` is only used by adbkit to start a local server on ECONNREFUSED. */
export function adbClient(host: string, port: number): Client {
  return Adb.createClient({ host, port });
}

/** Read a shell stream to the end. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<Buffer> {
  return Adb.util.readAll(stream as never);
}
