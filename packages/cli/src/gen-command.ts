import { writeFileSync, mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import { InputError, parseByteSize } from '@aifab/core'
import {
  genAllgather,
  genAlltoall,
  genBroadcast,
  genHalvingDoublingAllreduce,
  genIncast,
  genPermutation,
  genReducescatter,
  genRingAllreduce,
  parsePlacementList,
  placementOf,
  serializeTrace,
  type Placement,
  type Trace,
} from '@aifab/workload'
import { MAX_HOSTS, topologyShape } from '@aifab/topology'
import { loadTopology } from './load-config.ts'

/** A trace with more ops than this would not fit in memory as JSON. */
const MAX_GEN_OPS = 5_000_000

export const GEN_KINDS = ['ring-allreduce', 'allreduce', 'allgather', 'reducescatter', 'alltoall', 'broadcast', 'permutation', 'incast'] as const
export const ALLREDUCE_ALGORITHMS = ['ring', 'halving-doubling'] as const

export interface GenArgs {
  kind: (typeof GEN_KINDS)[number]
  algorithm: (typeof ALLREDUCE_ALGORITHMS)[number]
  ranks: number
  bytes: string
  channels: number
  /** Pipelining chunk, a size such as 512KiB (ring all-reduce). */
  chunk?: string
  placement: Placement
  /** An explicit rank -> host list, `0,8,16,...` (instead of --placement). */
  hosts?: string
  topology?: string
  seed: number
  output: string
  name?: string
}

/** `aifab gen <kind>`: writes a trace (JSON, or msgpack when the name ends in .msgpack). */
export function genCommand(a: GenArgs): void {
  const bytes = parseByteSize(a.bytes)
  if (!Number.isFinite(bytes) || bytes < 1) throw new InputError('--bytes', '', `expected a size such as 1048576, 64MiB or 2MB, got ${JSON.stringify(a.bytes)}`)
  if (a.ranks > MAX_HOSTS) throw new InputError('--ranks', '', `expected at most ${MAX_HOSTS} ranks (the largest topology), got ${a.ranks}`)
  let chunkBytes: number | undefined
  if (a.chunk !== undefined) {
    chunkBytes = parseByteSize(a.chunk)
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new InputError('--chunk', '', `expected a size such as 512KiB, got ${JSON.stringify(a.chunk)}`)
    if (a.kind !== 'ring-allreduce' && !(a.kind === 'allreduce' && a.algorithm === 'ring')) throw new InputError('--chunk', '', `pipelining is generated for ring all-reduce only, not ${a.kind}${a.algorithm && a.kind === 'allreduce' ? ` --algorithm ${a.algorithm}` : ''}`)
  }
  const pieces = chunkBytes === undefined ? 1 : Math.ceil(bytes / a.channels / a.ranks / chunkBytes)
  const ops =
    a.kind === 'ring-allreduce' || a.kind === 'allreduce'
      ? 2 * (a.ranks - 1) * a.ranks * a.channels * pieces
      : a.kind === 'alltoall'
        ? a.ranks * (a.ranks - 1)
        : a.kind === 'allgather' || a.kind === 'reducescatter'
          ? (a.ranks - 1) * a.ranks
          : 8 * a.ranks
  if (ops > MAX_GEN_OPS) throw new InputError('--ranks', '', `${a.kind} of ${a.ranks} ranks x ${a.channels} channels would have ${ops} ops; at most ${MAX_GEN_OPS}`)
  let placement: number[] | undefined
  if (a.placement !== 'packed' || a.hosts !== undefined) {
    const flag = a.hosts !== undefined ? '--hosts' : '--placement'
    if (a.topology === undefined) throw new InputError(flag, '', `${flag === '--hosts' ? 'an explicit placement' : `"${a.placement}"`} needs --topology to know the hosts`)
    const shape = topologyShape(loadTopology(a.topology))
    if (a.ranks > shape.hosts) throw new InputError('--ranks', '', `${a.ranks} ranks do not fit on ${a.topology} (${shape.hosts} hosts)`)
    try {
      placement = a.hosts !== undefined ? parsePlacementList(a.hosts, a.ranks, shape.hosts) : placementOf(a.placement, a.ranks, shape.edges, shape.hostsPerEdge, a.seed)
    } catch (e) {
      if (e instanceof RangeError) throw new InputError(flag, '', e.message)
      throw e
    }
  }
  let trace: Trace
  try {
    const o = { ranks: a.ranks, bytes, ...(placement ? { placement } : {}), ...(a.name ? { name: a.name } : {}) }
    switch (a.kind) {
      case 'ring-allreduce':
        trace = genRingAllreduce({ ...o, channels: a.channels, ...(chunkBytes ? { chunkBytes } : {}) })
        break
      case 'allreduce':
        trace = a.algorithm === 'ring' ? genRingAllreduce({ ...o, channels: a.channels, ...(chunkBytes ? { chunkBytes } : {}) }) : genHalvingDoublingAllreduce(o)
        break
      case 'allgather':
        trace = genAllgather(o)
        break
      case 'reducescatter':
        trace = genReducescatter(o)
        break
      case 'alltoall':
        trace = genAlltoall(o)
        break
      case 'broadcast':
        trace = genBroadcast(o)
        break
      case 'incast':
        trace = genIncast(o)
        break
      case 'permutation':
        trace = genPermutation({ ...o, seed: a.seed })
        break
    }
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(`gen ${a.kind}`, '', e.message)
    throw e
  }
  mkdirSync(dirname(a.output), { recursive: true })
  writeFileSync(a.output, serializeTrace(trace, a.output.endsWith('.msgpack') ? 'msgpack' : 'json'))
  process.stderr.write(`aifab: wrote ${a.output} (${trace.ops.length} ops, ${trace.ranks} ranks)\n`)
}
