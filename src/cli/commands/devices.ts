import type { Command } from 'commander';
import type { DeviceEntry } from '../../devicelab/config/devices.js';
import { inputError } from '../../core/errors.js';
import { printJson, table, type Output } from '../output.js';

interface LiveDevice {
  serial: string;
  state: string;
  server: string;
  model?: string;
  platform?: string;
  android?: string;
  simulated?: boolean;
}

async function probe(host: string, port: number, timeoutMs: number): Promise<{ reachable: boolean; devices: LiveDevice[]; error?: string }> {
  // A short handshake first: never start a server, never wait long on a silent address.
  const { adbHandshake } = await import('../../devicelab/adb/handshake.js');
  const { adbClient, readAll } = await import('../../devicelab/adb/adbkit.js');
  const { withTimeout } = await import('../../devicelab/deploy/retry.js');
  const hs = await adbHandshake(host, port, timeoutMs);
  if (!hs.ok) return { reachable: hs.kind !== 'unreachable', devices: [], error: hs.message };
  const c = adbClient(host, port);
  try {
    const list = (await withTimeout(c.listDevices() as Promise<Array<{ id: string; type: string }>>, timeoutMs, `adb devices on ${host}:${port}`)) ?? [];
    const out: LiveDevice[] = [];
    for (const d of list) {
      const live: LiveDevice = { serial: d.id, state: d.type, server: `${host}:${port}` };
      if (d.type === 'device') {
        try {
          const props = (await withTimeout(readAll(await c.getDevice(d.id).shell('getprop ro.product.model; getprop ro.board.platform; getprop ro.build.version.release; getprop ro.mai.simulated')), timeoutMs, 'getprop')).toString().split(/\r?\n/);
          [live.model, live.platform, live.android] = props;
          live.simulated = props[3] === '1';
        } catch {
          /* state stays; props unknown */
        }
      }
      out.push(live);
    }
    return { reachable: true, devices: out };
  } catch (e) {
    return { reachable: true, devices: [], error: `adb server at ${host}:${port}: ${(e as Error).message}` };
  }
}

export function registerDevices(program: Command, output: Output): void {
  program
    .command('devices')
    .description('the lab as devices.yaml describes it, merged with what the adb server(s) report')
    .option('--devices <file>', 'devices file', 'devices.yaml')
    .option('--connect-timeout <sec>', 'seconds to wait for each adb server to connect and answer (default: connectTimeoutSec, 5)')
    .option('--json', 'one JSON document on stdout')
    .action(async (o: { devices: string; connectTimeout?: string; json?: boolean }, cmd: Command) => {
      const override = o.connectTimeout === undefined ? undefined : Number(o.connectTimeout);
      if (override !== undefined && !(override > 0 && Number.isFinite(override))) throw inputError('bad-option', `--connect-timeout must be a number of seconds > 0 (got '${o.connectTimeout}')`);
      const { loadDevices } = await import('../../devicelab/config/devices.js');
      const { defaultAdbServer } = await import('../../devicelab/adb/adbkit.js');
      const entries: DeviceEntry[] = (await loadDevices(o.devices, cmd.getOptionValueSource('devices') !== 'cli')) ?? [];
      const servers = new Map<string, { host: string; port: number; timeoutSec: number }>();
      const defaultAdb = defaultAdbServer();
      const defaultKey = `${defaultAdb.host}:${defaultAdb.port}`;
      servers.set(defaultKey, { ...defaultAdb, timeoutSec: override ?? 5 });
      for (const e of entries) {
        if (e.adb === 'embedded') continue;
        const k = `${e.adb.host}:${e.adb.port}`;
        servers.set(k, { ...e.adb, timeoutSec: override ?? Math.min(servers.get(k)?.timeoutSec ?? Infinity, e.connectTimeoutSec) });
      }
      const live = new Map<string, Awaited<ReturnType<typeof probe>>>();
      await Promise.all([...servers].map(async ([k, a]) => live.set(k, await probe(a.host, a.port, a.timeoutSec * 1000))));
      const seen = new Set<string>();
      const rows = entries.map((e) => {
        const key = e.adb === 'embedded' ? 'embedded' : `${e.adb.host}:${e.adb.port}`;
        const l = live.get(key)?.devices.find((d) => d.serial === e.serial);
        if (l) seen.add(`${l.server}/${l.serial}`);
        return {
          id: e.id,
          tags: e.tags,
          serial: e.serial,
          adb: key,
          soc: e.soc,
          gpu: e.gpu,
          configured: true,
          state: e.adb === 'embedded' ? 'simulated (started on demand)' : l?.state ?? (!live.get(key)?.error ? 'not connected' : live.get(key)!.reachable ? 'adb server error' : 'adb server unreachable'),
          model: l?.model ?? (e.adb === 'embedded' ? 'NOH-AN00' : undefined),
          platform: l?.platform ?? (e.adb === 'embedded' ? 'kirin9000' : undefined),
          android: l?.android,
          simulated: e.adb === 'embedded' || l?.simulated === true,
        };
      });
      for (const [, p] of live)
        for (const d of p.devices)
          if (!seen.has(`${d.server}/${d.serial}`))
            rows.push({ id: '-', tags: [], serial: d.serial, adb: d.server, soc: undefined, gpu: undefined, configured: false, state: d.state, model: d.model, platform: d.platform, android: d.android, simulated: d.simulated === true });
      if (o.json) return printJson(output, { devices: rows, servers: Object.fromEntries([...live].map(([k, v]) => [k, { reachable: v.reachable, error: v.error }])) });
      output.out(
        table(
          rows.map((r) => [r.id, r.tags.join(',') || '-', r.serial, r.adb, r.state, r.model ?? '-', r.platform ?? '-', r.android ?? '-', r.simulated ? 'SIMULATED' : '-']),
          ['id', 'tags', 'serial', 'adb', 'state', 'model', 'platform', 'android', 'simulated'],
        ),
      );
      // Each server's problem, in words (the JSON document carries the same under servers.<host:port>.error).
      for (const [k, p] of live) {
        if (!p.error) continue;
        if (rows.length === 0) continue; // the line below says it
        output.out(`${p.error.includes(k) ? '' : `adb server ${k}: `}${p.error}${p.reachable ? '' : ' — start it with `adb start-server`'}`);
      }
      if (rows.length === 0) output.out(`no devices configured and no devices on the adb server at ${defaultKey}${live.get(defaultKey)?.error ? ` (${live.get(defaultKey)!.error})` : ''}; \`mai deploy MODEL --device kirin9000\` uses the simulated Kirin 9000`);
    });
}
