/** Device health: thermal zones, battery level/temperature, GPU clock — the output of `HEALTH_LINE` (commands.ts), parsed here (pure). */

export interface Health {
  /** thermal zone type → °C */
  thermalC: Record<string, number>;
  maxTempC?: number;
  batteryLevel?: number;
  batteryTempC?: number;
  gpuCurMHz?: number;
  gpuMaxMHz?: number;
  at: string;
}

export function parseHealth(text: string): Health {
  const types = new Map<string, string>();
  const temps = new Map<string, number>();
  const h: Health = { thermalC: {}, at: new Date().toISOString() };
  const gpuCur: number[] = [];
  const gpuMax: number[] = [];
  for (const line of text.split(/\r?\n/)) {
    let m: RegExpExecArray | null;
    if ((m = /^\/sys\/class\/thermal\/(thermal_zone\d+)\/type:(.*)$/.exec(line))) types.set(m[1]!, m[2]!.trim());
    else if ((m = /^\/sys\/class\/thermal\/(thermal_zone\d+)\/temp:(-?\d+)/.exec(line))) temps.set(m[1]!, Number(m[2]));
    else if ((m = /^\/sys\/class\/devfreq\/([^/]+)\/cur_freq:(\d+)/.exec(line)) && /gpu|mali|g78/i.test(m[1]!)) gpuCur.push(Number(m[2]));
    else if ((m = /^\/sys\/class\/devfreq\/([^/]+)\/max_freq:(\d+)/.exec(line)) && /gpu|mali|g78/i.test(m[1]!)) gpuMax.push(Number(m[2]));
    else if ((m = /^\s*level:\s*(\d+)/.exec(line))) h.batteryLevel = Number(m[1]);
    else if ((m = /^\s*temperature:\s*(-?\d+)/.exec(line))) h.batteryTempC = Number(m[1]) / 10;
  }
  for (const [zone, raw] of temps) {
    // Kernels report m°C; a few report °C.
    const c = Math.abs(raw) > 1000 ? raw / 1000 : raw;
    h.thermalC[types.get(zone) ?? zone] = c;
  }
  const all = Object.values(h.thermalC);
  if (all.length) h.maxTempC = Math.max(...all);
  if (gpuCur.length) h.gpuCurMHz = gpuCur[0]! / 1e6;
  if (gpuMax.length) h.gpuMaxMHz = gpuMax[0]! / 1e6;
  return h;
}

/**
 * Throttled: a thermal zone or the battery above the threshold, or the GPU
 * devfreq ceiling lowered below the nominal max (the thermal governor's cap).
 */
export function isThrottled(h: Health | undefined, thresholdC: number, nominalGpuMaxMHz?: number): boolean {
  if (!h) return false;
  if ((h.maxTempC ?? 0) >= thresholdC) return true;
  if ((h.batteryTempC ?? 0) >= thresholdC - 3) return true;
  if (nominalGpuMaxMHz && h.gpuMaxMHz && h.gpuMaxMHz < nominalGpuMaxMHz * 0.95) return true;
  return false;
}
