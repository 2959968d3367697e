import type { Command } from 'commander';
import { AdbSimServer } from '../../devicelab/sim/server.js';
import type { SimFaults } from '../../devicelab/sim/device.js';
import type { Output } from '../output.js';

export function registerSim(program: Command, output: Output): void {
  program
    .command('sim')
    .description('run the SIMULATED Kirin 9000 adb server in the foreground (adb -P PORT devices; adbkit; mai deploy with adb: 127.0.0.1:PORT)')
    .option('--port <n>', 'TCP port on 127.0.0.1 (0 = any free port)', '5038')
    .option('--serial <s>', 'device serial', 'sim-kirin9000-1')
    .option('--hot', 'fault: the device runs hot (throttled GPU clock)')
    .option('--fault-push-disconnect <n>', 'fault: drop the connection in the middle of the next N pushes')
    .option('--fault-bench-crash <n>', 'fault: the next N benchmark_model runs crash (SIGSEGV)')
    .option('--verbose', 'log every adb request on stderr')
    .option('--json', 'print the listening address as JSON')
    .action(async (o: { port: string; serial: string; hot?: boolean; faultPushDisconnect?: string; faultBenchCrash?: string; verbose?: boolean; json?: boolean }) => {
      const faults: SimFaults = {
        hot: o.hot,
        ...(o.faultPushDisconnect ? { disconnectMidPush: { count: Number(o.faultPushDisconnect) } } : {}),
        ...(o.faultBenchCrash ? { benchmarkCrash: { count: Number(o.faultBenchCrash) } } : {}),
      };
      const sim = new AdbSimServer({ devices: [{ serial: o.serial, faults }], log: o.verbose ? (l) => output.err(l) : undefined });
      const { host, port } = await sim.listen(Number(o.port));
      if (o.json) output.out(JSON.stringify({ host, port, serial: o.serial, simulated: true }));
      else output.out(`mai sim: SIMULATED Kirin 9000 (${o.serial}, NOH-AN00, Mali-G78 MP24) listening on ${host}:${port}; try: adb -P ${port} devices. Ctrl-C stops it.`);
      await new Promise<void>((resolve) => {
        const stop = () => resolve();
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
      await sim.close();
    });
}
