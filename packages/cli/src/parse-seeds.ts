import { InputError } from '@aifab/core'

/**
 * Seeds as a range `1..20` or a list `1,5,9`: distinct integers 0..4294967295,
 * at most 1000. `source` and `field` name where they came from in an error
 * (`--seeds`, or a sweep file and its `seeds` field).
 */
export function parseSeeds(v: string, source = '--seeds', field = ''): number[] {
  const bad = () => new InputError(source, field, `expected a range like 1..20 or a list like 1,5,9 of integers 0..4294967295, got ${JSON.stringify(v)}`)
  const int = (s: string) => {
    if (!/^\d+$/.test(s.trim()) || Number(s) > 0xffffffff) throw bad()
    return Number(s)
  }
  const m = /^(\d+)\.\.(\d+)$/.exec(v.trim())
  const seeds = m ? Array.from({ length: Math.max(0, int(m[2]!) - int(m[1]!) + 1) }, (_, i) => int(m[1]!) + i) : v.split(',').map(int)
  if (seeds.length === 0 || seeds.length > 1000 || new Set(seeds).size !== seeds.length) throw new InputError(source, field, `expected 1 to 1000 distinct seeds, got ${seeds.length} in ${JSON.stringify(v)}`)
  return seeds
}
