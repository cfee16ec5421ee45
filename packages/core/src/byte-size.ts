const UNITS: Record<string, number> = {
  '': 1,
  b: 1,
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
  k: 1024,
  m: 1024 ** 2,
  g: 1024 ** 3,
}

/**
 * Parses a byte count such as `1048576`, `64MiB`, `2MB` or `4k` (k/m/g alone
 * are binary, as in NCCL's tests). Returns NaN for anything else.
 */
export function parseByteSize(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-zA-Z]*)\s*$/.exec(text)
  if (!m) return NaN
  const unit = UNITS[m[2]!.toLowerCase()]
  if (unit === undefined) return NaN
  const v = Number(m[1]) * unit
  return Number.isInteger(v) ? v : NaN
}

/** Formats a byte count the way people write it: 64 MiB, 1.5 KiB, 100 B. */
export function formatByteSize(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes
  let i = 0
  while (v >= 1024 && i < units.length - 1 && v % 1024 === 0) {
    v /= 1024
    i++
  }
  if (v >= 1024 && i < units.length - 1) {
    while (v >= 1024 && i < units.length - 1) {
      v /= 1024
      i++
    }
    return `${v.toFixed(2)} ${units[i]}`
  }
  return `${v} ${units[i]}`
}
