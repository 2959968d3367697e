/**
 * The simulated adb server: speaks the adb host ("smart socket") protocol on
 * loopback, so adbkit and the real `adb -P PORT` client talk to it like to any
 * adb server. Byte-level behaviour: docs/reference/tflite-gpu-adb-notes.md §5.
 *
 * host:version, host:devices, host:devices-l, host:track-devices, host:features,
 * host:kill, host:transport[-any|-usb|-local][:serial], host:tport:…, host-serial:S:get-state|
 * get-serialno|get-devpath|features; then on the device: shell:CMD (raw: output, then
 * close), exec:CMD, and sync: (SEND/DATA/DONE, RECV, STAT, LIST, QUIT).
 */
import net from 'node:net';
import { readTflite } from '../../tflite/reader.js';
import { SimDevice, type GraphReader, type SimDeviceSpec } from './device.js';
import { SimShell } from './shell.js';

/** Incremental reader over a socket: read(n) resolves with exactly n bytes, or null at EOF. */
class SocketReader {
  private buf = Buffer.alloc(0);
  private ended = false;
  private waiter: (() => void) | null = null;
  constructor(readonly socket: net.Socket) {
    socket.on('data', (d) => {
      this.buf = Buffer.concat([this.buf, d]);
      this.wake();
    });
    socket.on('end', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('close', () => {
      this.ended = true;
      this.wake();
    });
    socket.on('error', () => {
      this.ended = true;
      this.wake();
    });
  }
  private wake() {
    const w = this.waiter;
    this.waiter = null;
    w?.();
  }
  async read(n: number): Promise<Buffer | null> {
    while (this.buf.length < n) {
      if (this.ended) return null;
      await new Promise<void>((r) => (this.waiter = r));
    }
    const out = this.buf.subarray(0, n);
    this.buf = this.buf.subarray(n);
    return out;
  }
}

const hex4 = (n: number) => n.toString(16).padStart(4, '0');
const okay = (payload?: string) => (payload === undefined ? Buffer.from('OKAY') : Buffer.concat([Buffer.from('OKAY'), Buffer.from(hex4(Buffer.byteLength(payload)) + payload)]));
const fail = (msg: string) => Buffer.from(`FAIL${hex4(Buffer.byteLength(msg))}${msg}`);
function syncMsg(id: string, ...nums: number[]): Buffer {
  const b = Buffer.alloc(4 + 4 * nums.length);
  b.write(id, 0, 'latin1');
  nums.forEach((n, i) => b.writeUInt32LE(n >>> 0, 4 + 4 * i));
  return b;
}
function syncFail(msg: string): Buffer {
  const m = Buffer.from(msg);
  return Buffer.concat([syncMsg('FAIL', m.length), m]);
}

export interface AdbSimOptions {
  devices?: SimDeviceSpec[];
  /** How the simulated benchmark_model reads a pushed model (default: the project's TFLite reader). */
  readGraph?: GraphReader;
  /** Log each request (for `mai sim --verbose`). */
  log?: (line: string) => void;
}

export class AdbSimServer {
  readonly devices: SimDevice[];
  private server: net.Server | null = null;
  private sockets = new Set<net.Socket>();
  private trackers = new Set<net.Socket>();
  private readonly readGraph: GraphReader;
  private readonly log?: (line: string) => void;
  port = 0;
  host = '127.0.0.1';

  constructor(opts: AdbSimOptions = {}) {
    const specs = opts.devices ?? [{}];
    this.devices = specs.map((s, i) => new SimDevice({ serial: s.serial ?? `sim-kirin9000-${i + 1}`, ...s }, i + 1));
    this.readGraph = opts.readGraph ?? ((b, f) => readTflite(b, f));
    this.log = opts.log;
  }

  device(serial: string): SimDevice | undefined {
    return this.devices.find((d) => d.serial === serial);
  }

  async listen(port = 0, host = '127.0.0.1'): Promise<{ host: string; port: number }> {
    this.host = host;
    const server = net.createServer((s) => this.accept(s));
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(port, host, () => resolve());
    });
    this.port = (server.address() as net.AddressInfo).port;
    return { host, port: this.port };
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    const srv = this.server;
    this.server = null;
    if (srv) await new Promise<void>((r) => srv.close(() => r()));
  }

  /** Change a device's state (e.g. 'offline') and notify track-devices clients. */
  setState(serial: string, state: string): void {
    const d = this.device(serial);
    if (d) d.state = state;
    this.notifyTrackers();
  }

  private deviceList(long: boolean): string {
    return this.devices
      .map((d) =>
        long
          ? `${d.serial.padEnd(22)} ${d.state} usb:1-${d.transportId} product:${d.props['ro.product.name']} model:${d.props['ro.product.model']!.replace(/[^A-Za-z0-9]/g, '_')} device:${d.props['ro.product.device']} transport_id:${d.transportId}\n`
          : `${d.serial}\t${d.state}\n`,
      )
      .join('');
  }

  private notifyTrackers(): void {
    const list = this.deviceList(false);
    for (const t of this.trackers) t.write(hex4(Buffer.byteLength(list)) + list);
  }

  private accept(socket: net.Socket): void {
    socket.setNoDelay(true);
    this.sockets.add(socket);
    socket.on('close', () => {
      this.sockets.delete(socket);
      this.trackers.delete(socket);
    });
    socket.on('error', () => undefined);
    const reader = new SocketReader(socket);
    this.session(reader, socket).catch(() => socket.destroy());
  }

  private async request(r: SocketReader): Promise<string | null> {
    const len = await r.read(4);
    if (!len) return null;
    const n = parseInt(len.toString('latin1'), 16);
    if (!Number.isFinite(n)) return null;
    const body = await r.read(n);
    return body ? body.toString('utf8') : null;
  }

  private async session(r: SocketReader, s: net.Socket): Promise<void> {
    const req = await this.request(r);
    if (req === null) return void s.end();
    this.log?.(`adb-sim: ${req}`);
    if (req === 'host:version') return void s.end(okay(hex4(41)));
    if (req === 'host:devices' || req === 'host:devices-l') return void s.end(okay(this.deviceList(req.endsWith('-l'))));
    if (req === 'host:track-devices') {
      s.write(okay(this.deviceList(false)));
      this.trackers.add(s);
      return;
    }
    if (req === 'host:kill') return void s.end(okay());
    if (req === 'host:features' || req === 'host:host-features') return void s.end(okay(''));
    let m: RegExpExecArray | null;
    if ((m = /^host-serial:([^:]+):(get-state|get-serialno|get-devpath|features)$/.exec(req))) {
      const d = this.device(m[1]!);
      if (!d) return void s.end(fail(`device '${m[1]}' not found`));
      const v = m[2] === 'get-state' ? d.state : m[2] === 'get-serialno' ? d.serial : m[2] === 'get-devpath' ? `usb:1-${d.transportId}` : '';
      return void s.end(okay(v));
    }
    if ((m = /^host:(?:transport|tport)(?:-(any|usb|local)|:(any|usb|local)|:serial:(.+)|:(.+))?$/.exec(req))) {
      const serial = m[3] ?? m[4];
      const tport = req.startsWith('host:tport');
      const candidates = serial ? this.devices.filter((d) => d.serial === serial) : this.devices;
      if (candidates.length === 0) return void s.end(fail(serial ? `device '${serial}' not found` : 'no devices/emulators found'));
      if (candidates.length > 1) return void s.end(fail('more than one device/emulator'));
      const d = candidates[0]!;
      if (d.state === 'unauthorized') return void s.end(fail('device unauthorized.\nThis adb server\'s $ADB_VENDOR_KEYS is not set'));
      if (d.state !== 'device') return void s.end(fail(`device ${d.state}`));
      if (tport) {
        const id = Buffer.alloc(8);
        id.writeBigUInt64LE(BigInt(d.transportId));
        s.write(Buffer.concat([okay(), id]));
      } else s.write(okay());
      return this.deviceService(d, r, s);
    }
    s.end(fail('unknown host service'));
  }

  private async deviceService(d: SimDevice, r: SocketReader, s: net.Socket): Promise<void> {
    const req = await this.request(r);
    if (req === null) return void s.end();
    this.log?.(`adb-sim [${d.serial}]: ${req}`);
    let m: RegExpExecArray | null;
    if ((m = /^(?:shell(?:,[^:]*)?|exec):(.*)$/s.exec(req))) {
      const cmd = m[1]!;
      if (!cmd.trim()) return void s.end(fail('interactive shell is not supported by the simulator'));
      s.write(okay());
      const res = await new SimShell(d, this.readGraph).run(cmd);
      if (res.hang) {
        s.write(res.output);
        return; // never ends; the client's timeout has to deal with it
      }
      return void s.end(res.output);
    }
    if (req === 'sync:') {
      s.write(okay());
      return this.sync(d, r, s);
    }
    s.end(fail(`unknown device service: ${req.split(':')[0]}`));
  }

  private async sync(d: SimDevice, r: SocketReader, s: net.Socket): Promise<void> {
    for (;;) {
      const head = await r.read(8);
      if (!head) return void s.end();
      const id = head.toString('latin1', 0, 4);
      const len = head.readUInt32LE(4);
      if (id === 'QUIT') return void s.end();
      if (len > 1024 && id !== 'DATA') return void s.end(syncFail('path too long'));
      const argBuf = await r.read(len);
      if (!argBuf) return void s.end();
      const arg = argBuf.toString('utf8');
      switch (id) {
        case 'STAT': {
          const e = d.fs.get(arg);
          s.write(e ? syncMsg('STAT', d.fs.mode(e), d.fs.size(e), e.mtime) : syncMsg('STAT', 0, 0, 0));
          break;
        }
        case 'LIST': {
          const e = d.fs.get(arg);
          if (e?.type === 'dir') {
            for (const { name, entry } of d.fs.list(arg)) {
              const nb = Buffer.from(name);
              s.write(Buffer.concat([syncMsg('DENT', d.fs.mode(entry), d.fs.size(entry), entry.mtime, nb.length), nb]));
            }
          }
          s.write(syncMsg('DONE', 0, 0, 0, 0));
          break;
        }
        case 'RECV': {
          const data = d.fs.readFile(arg);
          if (!data) {
            s.write(syncFail(`open failed: No such file or directory`));
            break;
          }
          for (let off = 0; off < data.length; off += 65536) {
            const chunk = data.subarray(off, off + 65536);
            s.write(Buffer.concat([syncMsg('DATA', chunk.length), chunk]));
          }
          s.write(syncMsg('DONE', 0));
          break;
        }
        case 'SEND': {
          const comma = arg.lastIndexOf(',');
          const path = comma >= 0 ? arg.slice(0, comma) : arg;
          const mode = comma >= 0 ? Number(arg.slice(comma + 1)) : 0o644;
          const cut = d.take('disconnectMidPush') ? (d.faults.disconnectMidPush?.afterBytes ?? 32768) : -1;
          const parts: Buffer[] = [];
          let total = 0;
          for (;;) {
            const h = await r.read(8);
            if (!h) return void s.destroy();
            const cid = h.toString('latin1', 0, 4);
            const n = h.readUInt32LE(4);
            if (cid === 'DATA') {
              if (n > 65536) return void s.end(syncFail('data chunk larger than 64k'));
              const chunk = await r.read(n);
              if (!chunk) return void s.destroy();
              parts.push(Buffer.from(chunk));
              total += n;
              if (cut >= 0 && total >= cut) {
                this.log?.(`adb-sim [${d.serial}]: fault: dropping the connection after ${total} bytes of ${path}`);
                return void s.destroy(); // nothing is written: adbd removes a partial file
              }
            } else if (cid === 'DONE') {
              try {
                d.fs.writeFile(path, Buffer.concat(parts), (mode || 0o644) & 0o777, n || undefined);
                s.write(syncMsg('OKAY', 0));
              } catch (e) {
                s.write(syncFail(`couldn't create file: ${(e as Error).message}`));
              }
              break;
            } else return void s.end(syncFail(`unexpected sync id '${cid}' during SEND`));
          }
          break;
        }
        default:
          return void s.end(syncFail(`unknown sync command '${id}'`));
      }
    }
  }
}
