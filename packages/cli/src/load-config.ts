import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { InputError, jsonErrorText } from '@aifab/core'
import { checkProfileFitsTopology, parseProfile, parseTopology, type FabricProfile, type TopologyConfig } from '@aifab/topology'

/**
 * Reads and parses a JSON file; a missing file or bad JSON is an InputError
 * naming it. `shipped`: the configs/ folder of that kind, where a bare name
 * that is not a file is looked for, as a hint.
 */
export function readJson(path: string, shipped?: 'profiles' | 'topologies'): unknown {
  let text: string
  try {
    text = readFileSync(path, 'utf8')
  } catch (e) {
    throw new InputError(path, '', `cannot read file: ${(e as NodeJS.ErrnoException).code ?? String(e)}${shipped === undefined ? '' : likelyMeant(path, shipped)}`)
  }
  try {
    return JSON.parse(text)
  } catch (e) {
    throw new InputError(path, '', `not valid JSON: ${jsonErrorText(e, text)}`)
  }
}

/** For a bare name such as `roce` that is not a file: the shipped config of that kind it likely means, as a hint. */
function likelyMeant(path: string, shipped: 'profiles' | 'topologies'): string {
  if (existsSync(path) || path.includes('/')) return ''
  const file = join('configs', shipped, path.endsWith('.json') ? path : `${path}.json`)
  return existsSync(file) ? ` (did you mean ${file}?)` : ''
}

export function loadTopology(path: string): TopologyConfig {
  return parseTopology(readJson(path, 'topologies'), path)
}

/** Command-line flags that override profile fields: flag name -> field path in the profile. */
export const PROFILE_FLAGS = {
  lb: 'switch.loadBalancing',
  'spray-order': 'switch.sprayOrder',
  'adaptive-threshold': 'switch.adaptiveThresholdBytes',
  'flowlet-gap-ns': 'switch.flowletGapNs',
  'flowlet-pick': 'switch.flowletPick',
  entropy: 'nic.entropyPolicy',
  'entropy-values': 'nic.entropyValues',
  ecn: 'switch.ecn',
  buffer: 'switch.buffer',
  pfc: 'switch.pfc',
  int: 'switch.int',
  trim: 'switch.trimming',
  'failover-delay-us': 'switch.failoverDelayUs',
  'switch-latency-ns': 'switch.forwardingLatencyNs',
  'cut-through': 'switch.cutThrough',
  'nic-delay-ns': 'nic.processingDelayNs',
  nic: 'nic.reliability',
  'qps-per-connection': 'nic.qpsPerConnection',
  cc: 'nic.congestionControl',
  'cc-param': 'nic.ccParams',
  'window-bdp': 'nic.windowBdp',
  'ack-every': 'nic.ackEveryPackets',
  'rto-us': 'nic.rtoUs',
  'retry-limit': 'nic.retryLimit',
  'nak-interval-us': 'nic.nakIntervalUs',
  'reorder-window': 'nic.reorderWindowPackets',
  'reorder-nack-threshold': 'nic.reorderNackThresholdPackets',
} as const
export type ProfileOverrides = Partial<Record<Exclude<keyof typeof PROFILE_FLAGS, 'cc-param'>, string | number>> & {
  /** `--fault`, repeatable: appended to the profile's faults. */
  fault?: string[]
  /** `--cc-param NAME=VALUE`, repeatable: merged over the profile's ccParams. */
  'cc-param'?: string[]
}

/**
 * Loads a profile, applies flag overrides (the file first, then flags: one way
 * to set each value), and validates the result. An invalid overridden value is
 * reported against its flag, not the file.
 */
export function loadProfile(path: string, overrides: ProfileOverrides, topo: TopologyConfig): FabricProfile {
  const json = readJson(path, 'profiles')
  const byPath = new Map<string, string>()
  if (typeof json === 'object' && json !== null) {
    const faults = overrides.fault ?? []
    if (faults.length > 0) {
      const obj = json as Record<string, unknown>
      obj.faults = [...(Array.isArray(obj.faults) ? obj.faults : []), ...faults.map(parseFaultFlag)]
      byPath.set('faults', '--fault')
    }
    const ccParams = overrides['cc-param'] ?? []
    if (ccParams.length > 0) {
      const nic = (json as Record<string, Record<string, unknown>>).nic
      if (typeof nic === 'object' && nic !== null) {
        const merged: Record<string, unknown> = typeof nic.ccParams === 'object' && nic.ccParams !== null ? { ...(nic.ccParams as object) } : {}
        for (const kv of ccParams) {
          const m = /^([A-Za-z_][A-Za-z0-9_]*)=(.+)$/.exec(kv)
          if (!m || !Number.isFinite(Number(m[2]))) throw new InputError('--cc-param', '', `expected NAME=NUMBER, got ${JSON.stringify(kv)}`)
          merged[m[1]!] = Number(m[2])
        }
        nic.ccParams = merged
        byPath.set('nic.ccParams', '--cc-param')
      }
    }
    for (const [flag, value] of Object.entries(overrides)) {
      if (value === undefined || flag === 'fault' || flag === 'cc-param') continue
      const fieldPath = PROFILE_FLAGS[flag as keyof typeof PROFILE_FLAGS]
      const [section, key] = fieldPath.split('.') as [string, string]
      const obj = json as Record<string, Record<string, unknown>>
      if (typeof obj[section] !== 'object' || obj[section] === null) obj[section] = {}
      const parse = STRUCTURED_FLAGS[flag]
      obj[section]![key] = parse ? parse(String(value)) : value
      byPath.set(fieldPath, `--${flag}`)
    }
  }
  try {
    const profile = parseProfile(json, path)
    checkProfileFitsTopology(profile, topo, path)
    return profile
  } catch (e) {
    if (e instanceof InputError) {
      for (const [fieldPath, flag] of byPath) {
        if (e.path === fieldPath || e.path.startsWith(fieldPath + '.') || e.path.startsWith(fieldPath + '[')) throw new InputError(flag, '', `${e.expected} (overriding ${path}: ${e.path})`)
      }
    }
    throw e
  }
}

/** Flags whose text becomes a JSON value other than a plain number or string. */
const STRUCTURED_FLAGS: Partial<Record<string, (v: string) => unknown>> = {
  ecn: (v) => offOrNumbers('--ecn', v, ['kminBytes', 'kmaxBytes', 'pmax']),
  pfc: (v) => offOrNumbers('--pfc', v, ['xoffBytes', 'xonBytes', 'headroomBytes']),
  int: (v) => offOrNumbers('--int', v, ['bytesPerRecord', 'maxHops']),
  buffer: parseBufferFlag,
  'cut-through': (v) => v === 'true',
  trim: (v) => v === 'true',
}


/** `off` (null), or comma-separated numbers for `keys`, e.g. `--pfc 262144,229376,65536`. */
function offOrNumbers(flag: string, v: string, keys: readonly string[]): unknown {
  if (v === 'off') return null
  const texts = v.split(',')
  const parts = texts.map(Number)
  if (parts.length !== keys.length || texts.some((t) => t.trim() === '') || parts.some((x) => !Number.isFinite(x))) {
    const shape = keys.map((k) => k.replace(/([A-Z])/g, '_$1').toUpperCase()).join(',')
    throw new InputError(flag, '', `expected "off" or ${shape}, got ${JSON.stringify(v)}`)
  }
  return Object.fromEntries(keys.map((k, i) => [k, parts[i]]))
}

/** `--fault down:LINK:AT_US[:UNTIL_US]`, `rate:LINK:AT_US:GBPS` or `loss:LINK:AT_US:PROBABILITY[:TOWARDS]`. */
function parseFaultFlag(v: string): unknown {
  const [kind, link, at, x, ...rest] = v.split(':')
  const num = (s: string | undefined) => (s === undefined || s === '' ? NaN : Number(s))
  const bad = () => {
    throw new InputError('--fault', '', `expected down:LINK:AT_US[:UNTIL_US], rate:LINK:AT_US:GBPS or loss:LINK:AT_US:PROBABILITY[:TOWARDS], got ${JSON.stringify(v)}`)
  }
  if (kind === 'loss' && rest.length === 1 && rest[0] !== '' && Number.isFinite(num(at)) && Number.isFinite(num(x))) {
    return { kind, link, atUs: num(at), lossRate: num(x), towards: rest[0] }
  }
  if (!link || rest.length > 0 || !Number.isFinite(num(at))) bad()
  if (kind === 'down') return x === undefined ? { kind, link, atUs: num(at) } : Number.isFinite(num(x)) ? { kind, link, atUs: num(at), untilUs: num(x) } : bad()
  if (!Number.isFinite(num(x))) bad()
  if (kind === 'rate') return { kind, link, atUs: num(at), rateGbps: num(x) }
  if (kind === 'loss') return { kind, link, atUs: num(at), lossRate: num(x) }
  return bad()
}


/** `--buffer static` or `--buffer shared:ALPHA[:RESERVE_BYTES]`. */
function parseBufferFlag(v: string): unknown {
  if (v === 'static') return { model: 'static' }
  const m = /^shared:([0-9.]+)(?::([0-9]+))?$/.exec(v)
  if (!m) throw new InputError('--buffer', '', `expected "static" or "shared:ALPHA[:RESERVE_BYTES]", got ${JSON.stringify(v)}`)
  return { model: 'shared', alpha: Number(m[1]), reservePerQueueBytes: Number(m[2] ?? 0) }
}

