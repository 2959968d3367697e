import type { Command } from 'commander';
import type { SimFaults } from '../../devicelab/sim/device.js';
import type { Output } from '../output.js';
import { environmentError, inputError } from '../../core/errors.js';
import { parseCount } from '../../devicelab/config/flags.js';
import { DEFAULT_PROFILE, deviceProfile, PROFILES } from '../../devicelab/sim/profiles.js';
import { onShutdown } from '../../core/shutdown.js';

export function registerSim(program: Command, output: Output): void {
  program
    .command('sim')
    .description('run the SIMULATED Kirin 9000 adb server in the foreground (adb -P PORT devices; adbkit; mai deploy with adb: 127.0.0.1:PORT)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)', '5038')
    .option('--serial <s>', 'device serial (default sim-<profile>-1)')
    .option('--profile <name>', `the phone simulated: ${Object.keys(PROFILES).join(', ')}`, DEFAULT_PROFILE)
    .option('--hot', 'fault: the device runs hot (throttled GPU clock)')
    .option('--fault-push-disconnect <n>', 'fault: drop the connection in the middle of the next N pushes')
    .option('--fault-bench-crash <n>', 'fault: the next N benchmark_model runs crash (SIGSEGV)')
    .option('--verbose', 'log every adb request on stderr')
    .option('--json', 'print the listening address as JSON')
    .action(async (o: { port: string; serial?: string; profile: string; hot?: boolean; faultPushDisconnect?: string; faultBenchCrash?: string; verbose?: boolean; json?: boolean }) => {
      const count = (flag: string, v: string | undefined): number | undefined => {
        if (v === undefined) return undefined;
        const n = parseCount(v, 0);
        if (n === undefined) throw inputError('bad-option', `${flag} must be an integer ≥ 0 (got '${v}')`);
        return n;
      };
      const profile = deviceProfile(o.profile);
      const serial = o.serial ?? `sim-${profile.name}-1`;
      const wanted = parseCount(o.port, 0);
      if (wanted === undefined || wanted > 65535) throw inputError('bad-option', `--port must be a TCP port number 0–65535 (got '${o.port}')`);
      const pushDisconnects = count('--fault-push-disconnect', o.faultPushDisconnect);
      const benchCrashes = count('--fault-bench-crash', o.faultBenchCrash);
      const faults: SimFaults = {
        hot: o.hot,
        ...(pushDisconnects ? { disconnectMidPush: { count: pushDisconnects } } : {}),
        ...(benchCrashes ? { benchmarkCrash: { count: benchCrashes } } : {}),
      };
      const { AdbSimServer } = await import('../../devicelab/sim/server.js');
      const sim = new AdbSimServer({ devices: [{ serial, faults, profile: profile.name }], log: o.verbose ? (l) => output.err(l) : undefined });
      let host: string;
      let port: number;
      try {
        ({ host, port } = await sim.listen(wanted));
      } catch (e) {
        const err = e as NodeJS.ErrnoException;
        throw environmentError(err.code === 'EADDRINUSE' ? 'port-in-use' : 'listen-failed', `mai sim cannot listen on 127.0.0.1:${wanted}: ${err.code === 'EADDRINUSE' ? 'the port is in use' : err.message}`, {
          hint: err.code === 'EADDRINUSE' ? `pick another --port (0 = any free port), or stop what listens on ${wanted}` : undefined,
          cause: e,
        });
      }
      if (o.json) output.out(JSON.stringify({ host, port, serial, profile: profile.name, simulated: true }));
      else output.out(`mai sim: SIMULATED ${profile.soc} (${serial}, ${profile.phone}, ${profile.gpu}) listening on ${host}:${port}; try: adb -P ${port} devices. Ctrl-C stops it.`);
      // Runs until a signal: the shutdown hook closes the listening socket and every connection.
      await new Promise<void>(() => onShutdown(() => sim.close()));
    });
}
