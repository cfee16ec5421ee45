import { InputError } from '@aifab/core'
import { parseProfile, checkProfileFitsTopology, topologyShape } from '@aifab/topology'
import { loadTrace } from '@aifab/workload'
import { loadTopology, readJson } from './load-config.ts'

/**
 * `aifab validate <file> [--topology T]`: checks a trace, topology or profile
 * without running anything, and says what it is. A trace is told by its
 * extension (.msgpack, .cm, .txt) or its `format`; a profile by `format`
 * "aifab.profile" (checked against --topology when given); a topology by
 * its `kind`. Bad input throws the usual one-line InputError.
 */
export function validateCommand(file: string, topologyFile: string | undefined): string {
  const topology = topologyFile === undefined ? undefined : loadTopology(topologyFile)
  const asTrace = () => {
    const t = loadTrace(file)
    if (topology !== undefined && t.ranks > topologyShape(topology).hosts) throw new InputError(file, 'ranks', `${t.ranks} ranks do not fit on ${topologyFile} (${topologyShape(topology).hosts} hosts)`)
    return `trace "${t.name}": ${t.ops.length} ops, ${t.ranks} ranks${t.collective ? `, ${t.collective.kind} of ${t.collective.bytes} bytes` : ''}${topology !== undefined ? `; fits ${topologyFile}` : ''}`
  }
  if (/\.(msgpack|cm|txt)$/.test(file)) return `ok: ${file}: ${asTrace()}`
  const json = readJson(file) as Record<string, unknown> | null
  const format = typeof json === 'object' && json !== null ? json.format : undefined
  if (format === 'aifab.trace') return `ok: ${file}: ${asTrace()}`
  if (format === 'aifab.profile') {
    const p = parseProfile(json, file)
    if (topology !== undefined) checkProfileFitsTopology(p, topology, file)
    return `ok: ${file}: profile "${p.name}": ${p.switch.loadBalancing}, ${p.nic.reliability}, congestion control ${p.nic.congestionControl}${topology !== undefined ? `; fits ${topologyFile}` : ''}`
  }
  if (typeof json === 'object' && json !== null && typeof json.kind === 'string') {
    const t = loadTopology(file)
    return `ok: ${file}: topology: ${topologyShape(t).label}`
  }
  throw new InputError(file, '', 'expected a trace ("format": "aifab.trace", or .msgpack, .cm, .txt), a profile ("format": "aifab.profile") or a topology (with a "kind")')
}
