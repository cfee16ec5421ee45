import { readFileSync } from 'node:fs'
import { InputError, parseByteSize } from '@aifab/core'
import {
  cdfMeanBytes,
  FLOW_SIZE_CDFS,
  genBackground,
  parseCdf,
  publishedCdf,
  genAllgather,
  genAlltoall,
  genBroadcast,
  genDoubleBinaryTreeAllreduce,
  genHalvingDoublingAllreduce,
  genIncast,
  genPermutation,
  genReducescatter,
  genRingAllreduce,
  parsePlacementList,
  placementOf,
  type Placement,
  type Trace,
} from '@aifab/workload'
import { MAX_HOSTS, nicLineRateBps, topologyShape } from '@aifab/topology'
import { loadTopology } from './load-config.ts'
import { writeTraceFile } from './write-trace-file.ts'

/** A trace with more ops than this would not fit in memory as JSON. */
const MAX_GEN_OPS = 5_000_000

export const GEN_KINDS = ['ring-allreduce', 'allreduce', 'allgather', 'reducescatter', 'alltoall', 'broadcast', 'permutation', 'incast', 'background'] as const
export const ALLREDUCE_ALGORITHMS = ['ring', 'halving-doubling', 'double-binary-tree'] as const

export interface GenArgs {
  kind: (typeof GEN_KINDS)[number]
  algorithm: (typeof ALLREDUCE_ALGORITHMS)[number]
  ranks: number
  bytes?: string
  channels: number
  /** background: offered load, a fraction of the host link rate. */
  load?: number
  /** background: how long arrivals go on. */
  durationUs?: number
  /** background: websearch, hadoop, or a CDF file. */
  cdf?: string
  /** Pipelining chunk, a size such as 512KiB (ring and double-binary-tree all-reduce). */
  chunk?: string
  placement: Placement
  /** An explicit rank -> host list, `0,8,16,...` (instead of --placement). */
  hosts?: string
  topology?: string
  seed: number
  output: string
  name?: string
}

/** What a trace is generated from: the flags of `aifab gen` but the output file (a sweep generates one per point). */
export type GenSpec = Omit<GenArgs, 'output'>

/** `aifab gen <kind>`: writes a trace (JSON, or msgpack when the name ends in .msgpack). */
export function genCommand(a: GenArgs): void {
  writeTraceFile(genTrace(a), a.output)
}

/** The trace `aifab gen` would write; a bad value is an InputError naming its flag (--bytes, --ranks, ...). */
export function genTrace(a: GenSpec): Trace {
  if (a.ranks > MAX_HOSTS) throw new InputError('--ranks', '', `expected at most ${MAX_HOSTS} ranks (the largest topology), got ${a.ranks}`)
  if (a.kind === 'background') return genBackgroundTrace(a)
  if (a.bytes === undefined) throw new InputError('--bytes', '', `gen ${a.kind} needs --bytes`)
  const bytes = parseByteSize(a.bytes)
  if (!Number.isFinite(bytes) || bytes < 1) throw new InputError('--bytes', '', `expected a size such as 1048576, 64MiB or 2MB, got ${JSON.stringify(a.bytes)}`)
  // What the flags name, for the checks that only some generators take.
  const generator = a.kind === 'allreduce' ? `allreduce --algorithm ${a.algorithm}` : a.kind
  const ring = a.kind === 'ring-allreduce' || (a.kind === 'allreduce' && a.algorithm === 'ring')
  let chunkBytes: number | undefined
  if (a.chunk !== undefined) {
    chunkBytes = parseByteSize(a.chunk)
    if (!Number.isInteger(chunkBytes) || chunkBytes < 1) throw new InputError('--chunk', '', `expected a size such as 512KiB, got ${JSON.stringify(a.chunk)}`)
    if (!ring && !(a.kind === 'allreduce' && a.algorithm === 'double-binary-tree')) throw new InputError('--chunk', '', `pipelining is generated for ring and double-binary-tree all-reduce only, not ${generator}`)
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
  if (ops > MAX_GEN_OPS) throw new InputError(pieces > 1 ? '--chunk' : '--ranks', '', `${a.kind} of ${a.ranks} ranks x ${a.channels} channels${pieces > 1 ? ` x ${pieces} pieces` : ''} would have ${ops} ops; at most ${MAX_GEN_OPS}`)
  if (a.channels !== 1 && !ring) throw new InputError('--channels', '', `channels are generated for ring all-reduce only, not ${generator}`)
  const placement = a.placement !== 'packed' || a.hosts !== undefined ? placeRanksOn(a) : undefined
  let trace: Trace
  try {
    const o = { ranks: a.ranks, bytes, ...(placement ? { placement } : {}), ...(a.name ? { name: a.name } : {}) }
    switch (a.kind) {
      case 'ring-allreduce':
        trace = genRingAllreduce({ ...o, channels: a.channels, ...(chunkBytes ? { chunkBytes } : {}) })
        break
      case 'allreduce':
        trace =
          a.algorithm === 'ring'
            ? genRingAllreduce({ ...o, channels: a.channels, ...(chunkBytes ? { chunkBytes } : {}) })
            : a.algorithm === 'double-binary-tree'
              ? genDoubleBinaryTreeAllreduce({ ...o, ...(chunkBytes ? { chunkBytes } : {}) })
              : genHalvingDoublingAllreduce(o)
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
  return trace
}

/** The --placement / --hosts choice on the --topology's hosts. */
function placeRanksOn(a: GenSpec): number[] {
  if (a.hosts !== undefined && a.placement !== 'packed') throw new InputError('--hosts', '', `give --placement ${a.placement} or --hosts, not both`)
  const flag = a.hosts !== undefined ? '--hosts' : '--placement'
  if (a.topology === undefined) throw new InputError(flag, '', `${flag === '--hosts' ? 'an explicit placement' : `"${a.placement}"`} needs --topology to know the hosts`)
  const shape = topologyShape(loadTopology(a.topology))
  if (a.ranks > shape.hosts) throw new InputError('--ranks', '', `${a.ranks} ranks do not fit on ${a.topology} (${shape.hosts} hosts)`)
  try {
    return a.hosts !== undefined ? parsePlacementList(a.hosts, a.ranks, shape.hosts) : placementOf(a.placement, a.ranks, shape.edges, shape.hostsPerEdge, a.seed)
  } catch (e) {
    if (e instanceof RangeError) throw new InputError(flag, '', e.message)
    throw e
  }
}

/** `gen background`: Poisson arrivals at --load of the --topology's host rate. */
function genBackgroundTrace(a: GenSpec): Trace {
  if (a.topology === undefined) throw new InputError('--topology', '', 'gen background needs --topology for the host link rate')
  if (a.load === undefined || !(a.load > 0 && a.load <= 1)) throw new InputError('--load', '', `expected a fraction of the host link rate in (0, 1], got ${a.load}`)
  if (a.durationUs === undefined || !(a.durationUs > 0)) throw new InputError('--duration-us', '', `expected a positive duration in microseconds, got ${a.durationUs}`)
  const cdfName = a.cdf ?? 'websearch'
  let cdf = publishedCdf(cdfName)
  if (!cdf) {
    let text: string
    try {
      text = readFileSync(cdfName, 'utf8')
    } catch (e) {
      throw new InputError('--cdf', '', `expected ${FLOW_SIZE_CDFS.join(', ')} or a CDF file; cannot read ${cdfName}: ${(e as NodeJS.ErrnoException).code ?? String(e)}`)
    }
    try {
      cdf = parseCdf(text, cdfName.replace(/^.*\//, '').replace(/\.[^.]*$/, ''))
    } catch (e) {
      if (e instanceof RangeError) throw new InputError(cdfName, '', e.message)
      throw e
    }
  }
  const topo = loadTopology(a.topology)
  const placement = a.placement !== 'packed' || a.hosts !== undefined ? placeRanksOn(a) : undefined
  const hosts = topologyShape(topo).hosts
  if (a.ranks > hosts) throw new InputError('--ranks', '', `${a.ranks} ranks do not fit on ${a.topology} (${hosts} hosts)`)
  // Bound the file before generating it: expected flows from the mean size.
  const expected = (a.ranks * a.load * nicLineRateBps(topo) * a.durationUs * 1e-6) / 8 / cdfMeanBytes(cdf)
  if (expected > MAX_GEN_OPS) throw new InputError('--duration-us', '', `about ${Math.round(expected)} flows expected; at most ${MAX_GEN_OPS}`)
  let trace: Trace
  try {
    trace = genBackground({
      ranks: a.ranks,
      load: a.load,
      hostLinkBps: nicLineRateBps(topo),
      durationNs: a.durationUs * 1000,
      cdf,
      seed: a.seed,
      ...(placement ? { placement } : {}),
      ...(a.name ? { name: a.name } : {}),
    })
  } catch (e) {
    if (e instanceof RangeError) throw new InputError('gen background', '', e.message)
    throw e
  }
  return trace
}
