/**
 * A flow-size distribution as a piecewise-linear CDF: points (bytes, cumulative
 * fraction), sizes uniform between neighbouring points, as the HPCC traffic
 * generator reads its distribution files.
 */
export interface FlowSizeCdf {
  name: string
  /** Ascending sizes in bytes; the first has cumulative fraction 0. */
  bytes: number[]
  /** Cumulative fraction at each size, ascending from 0 to 1. */
  cumulative: number[]
}

/**
 * The two distributions of the HPCC paper's evaluation (its traffic_gen files,
 * given in percent): web search (the DCTCP paper's measurement) and Facebook
 * Hadoop (Roy et al., SIGCOMM 2015).
 */
const PUBLISHED: Record<string, [number, number][]> = {
  websearch: [[0, 0], [10000, 15], [20000, 20], [30000, 30], [50000, 40], [80000, 53], [200000, 60], [1000000, 70], [2000000, 80], [5000000, 90], [10000000, 97], [30000000, 100]],
  hadoop: [[0, 0], [100, 1], [200, 2], [300, 5], [350, 15], [400, 20], [500, 30], [600, 40], [700, 50], [1000, 60], [2000, 67], [7000, 70], [30000, 72], [50000, 82], [80000, 87], [120000, 90], [300000, 95], [1000000, 97.5], [2000000, 99], [10000000, 100]],
}
export const FLOW_SIZE_CDFS = Object.keys(PUBLISHED)

export function publishedCdf(name: string): FlowSizeCdf | undefined {
  const pts = PUBLISHED[name]
  return pts && { name, bytes: pts.map((p) => p[0]), cumulative: pts.map((p) => p[1] / 100) }
}

/**
 * Parses a CDF file: one `bytes cumulative` pair a line (cumulative in percent
 * when the last is 100, else as a fraction ending at 1), `#` comments. Throws
 * RangeError naming the line.
 */
export function parseCdf(text: string, name: string): FlowSizeCdf {
  const bytes: number[] = []
  const cum: number[] = []
  text.split('\n').forEach((raw, i) => {
    const line = raw.replace(/#.*/, '').trim()
    if (line === '') return
    const f = line.split(/\s+/).map(Number)
    if (f.length !== 2 || !f.every(Number.isFinite)) throw new RangeError(`line ${i + 1}: expected "bytes cumulative", got ${JSON.stringify(raw.trim())}`)
    if (f[0]! < 0 || f[1]! < 0) throw new RangeError(`line ${i + 1}: sizes and cumulative values must be >= 0`)
    if (bytes.length > 0 && (f[0]! < bytes.at(-1)! || f[1]! < cum.at(-1)!)) throw new RangeError(`line ${i + 1}: sizes and cumulative values must not decrease`)
    bytes.push(f[0]!)
    cum.push(f[1]!)
  })
  if (bytes.length < 2) throw new RangeError('expected at least two points')
  const top = cum.at(-1)!
  if (top !== 100 && top !== 1) throw new RangeError(`the last cumulative value must be 100 (percent) or 1, got ${top}`)
  return { name, bytes, cumulative: cum.map((c) => c / top) }
}

/** Mean flow size in bytes: each segment contributes its probability times its midpoint. */
export function cdfMeanBytes(c: FlowSizeCdf): number {
  let mean = c.bytes[0]! * c.cumulative[0]!
  for (let i = 1; i < c.bytes.length; i++) mean += (c.cumulative[i]! - c.cumulative[i - 1]!) * ((c.bytes[i]! + c.bytes[i - 1]!) / 2)
  return mean
}

/** Inverse-transform sample for a uniform u in [0, 1): a whole number of bytes, at least 1. */
export function sampleCdf(c: FlowSizeCdf, u: number): number {
  // A table not starting at 0 puts its first fraction on its first size.
  if (u < c.cumulative[0]!) return Math.max(1, Math.round(c.bytes[0]!))
  let i = 1
  while (i < c.cumulative.length - 1 && c.cumulative[i]! <= u) i++
  const c0 = c.cumulative[i - 1]!
  const c1 = c.cumulative[i]!
  const x = c1 > c0 ? c.bytes[i - 1]! + ((u - c0) / (c1 - c0)) * (c.bytes[i]! - c.bytes[i - 1]!) : c.bytes[i]!
  return Math.max(1, Math.round(x))
}
