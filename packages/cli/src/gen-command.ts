import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError, parseByteSize } from '@aifab/core'
import { genPermutation, genRingAllreduce, placementOf, serializeTrace, type Placement, type Trace } from '@aifab/workload'
import { loadTopology } from './load-config.ts'

export interface GenArgs {
  kind: 'ring-allreduce' | 'permutation'
  ranks: number
  bytes: string
  channels: number
  placement: Placement
  topology?: string
  seed: number
  output: string
  name?: string
}

/** `aifab gen <kind>`: writes a trace (JSON, or msgpack when the name ends in .msgpack). */
export function genCommand(a: GenArgs): void {
  const bytes = parseByteSize(a.bytes)
  if (!Number.isFinite(bytes) || bytes < 1) throw new InputError('--bytes', '', `expected a size such as 1048576, 64MiB or 2MB, got ${JSON.stringify(a.bytes)}`)
  let placement: number[] | undefined
  if (a.placement !== 'packed') {
    if (a.topology === undefined) throw new InputError('--placement', '', `"${a.placement}" needs --topology to know the leaves`)
    const t = loadTopology(a.topology)
    if (a.ranks > t.leaves * t.hostsPerLeaf) throw new InputError('--ranks', '', `${a.ranks} ranks do not fit on ${a.topology} (${t.leaves * t.hostsPerLeaf} hosts)`)
    placement = placementOf(a.placement, a.ranks, t.leaves, t.hostsPerLeaf)
  }
  let trace: Trace
  try {
    trace =
      a.kind === 'ring-allreduce'
        ? genRingAllreduce({ ranks: a.ranks, bytes, channels: a.channels, ...(placement ? { placement } : {}), ...(a.name ? { name: a.name } : {}) })
        : genPermutation({ ranks: a.ranks, bytes, seed: a.seed, ...(placement ? { placement } : {}), ...(a.name ? { name: a.name } : {}) })
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`gen ${a.kind}`, '', e.message)
    throw e
  }
  mkdirSync(dirname(a.output), { recursive: true })
  writeFileSync(a.output, serializeTrace(trace, a.output.endsWith('.msgpack') ? 'msgpack' : 'json'))
  process.stderr.write(`aifab: wrote ${a.output} (${trace.ops.length} ops, ${trace.ranks} ranks)\n`)
}
