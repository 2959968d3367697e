/** JSON for reports: non-finite numbers (identical outputs give PSNR/SQNR = ∞) become the strings "Infinity", "-Infinity", "NaN". */
export function reportJson(value: unknown): string {
  return JSON.stringify(value, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v), 2);
}
