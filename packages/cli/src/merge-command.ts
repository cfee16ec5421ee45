import { copyFileSync, existsSync, readdirSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { InputError } from '@aifab/core'
import { renderSweepOutputs, sweepDocument, type SweepDocument, type SweepPoint } from '@aifab/report'
import { readJson } from './load-config.ts'
import { makeDirs, writeOutputs } from './output.ts'
import { pointId } from './sweep-grid.ts'
import { sweepExitCode } from './sweep-command.ts'

/** A shard's sweep.json, checked as far as merging needs. */
function readShard(file: string): SweepDocument {
  const d = readJson(file) as Partial<SweepDocument> | null
  const fail = (field: string, expected: string): never => {
    throw new InputError(file, field, expected)
  }
  if (typeof d !== 'object' || d === null || d.format !== 'aifab.sweep-result') return fail('format', 'expected "aifab.sweep-result" (the sweep.json aifab sweep writes)')
  if (d.version !== 1) fail('version', `expected 1, got ${JSON.stringify(d.version)}`)
  if (typeof d.specSha256 !== 'string') fail('specSha256', 'expected the sha256 of the sweep spec')
  if (!Number.isInteger(d.points) || d.points! < 1) fail('points', 'expected the number of points of the grid')
  if (!Array.isArray(d.results)) fail('results', 'expected the list of points run')
  d.results!.forEach((p, i) => {
    if (!Number.isInteger(p?.index) || p.index < 0 || p.index >= d.points! || p.id !== pointId(p.index, d.points!)) fail(`results[${i}]`, `expected a point with an index in 0..${d.points! - 1} and its id`)
  })
  return d as SweepDocument
}

/**
 * `aifab merge <dir>... --out DIR`: joins the --out directories of a sweep's
 * shards. They must come from one spec (the same sha256 of the spec and the
 * files it read) and the same --format, and hold every point exactly once;
 * then DIR gets each point's directory, copied byte for byte, and the
 * summary files rendered from all points: the same bytes as the unsharded
 * sweep. Returns the exit code of the points (as sweep does).
 */
export function mergeCommand(dirs: readonly string[], out: string, quiet: boolean): number {
  const target = resolve(out)
  for (const d of dirs) if (resolve(d) === target) throw new InputError('--out', '', `expected a directory other than the shards', got ${d}`)
  const shards = dirs.map((dir) => ({ dir, file: join(dir, 'sweep.json'), doc: readShard(join(dir, 'sweep.json')) }))
  const first = shards[0]!
  for (const s of shards.slice(1)) {
    if (s.doc.specSha256 !== first.doc.specSha256) {
      throw new InputError(s.file, 'specSha256', `expected ${first.doc.specSha256} as in ${first.file}: shards of one sweep (one sweep file, the same input files, run from the same directory); got ${s.doc.specSha256}`)
    }
    if (s.doc.formats.join(',') !== first.doc.formats.join(',')) throw new InputError(s.file, 'formats', `expected ${first.doc.formats.join(',')} as in ${first.file} (give every shard the same --format), got ${s.doc.formats.join(',')}`)
  }
  const owner = new Map<number, { dir: string; point: SweepPoint }>()
  for (const s of shards) {
    s.doc.results.forEach((p, i) => {
      const o = owner.get(p.index)
      if (o !== undefined) throw new InputError(s.file, `results[${i}]`, `point ${p.id} is also in ${o.dir}; expected each point in exactly one shard`)
      if (!existsSync(join(s.dir, 'points', p.id))) throw new InputError(s.dir, `points/${p.id}`, "missing; expected the point's reports beside sweep.json")
      owner.set(p.index, { dir: s.dir, point: p })
    })
  }
  const n = first.doc.points
  if (owner.size !== n) {
    const missing = Array.from({ length: n }, (_, i) => i).filter((i) => !owner.has(i))
    const ids = missing.slice(0, 5).map((i) => pointId(i, n)).join(', ') + (missing.length > 5 ? ', ...' : '')
    throw new InputError('merge', '', `${missing.length} of ${n} points are in none of the directories given (${ids}); expected the --out directories of every shard`)
  }

  for (const { dir, point } of owner.values()) {
    const from = join(dir, 'points', point.id)
    const to = join(out, 'points', point.id)
    makeDirs(to)
    for (const f of readdirSync(from, { withFileTypes: true })) if (f.isFile()) copyFileSync(join(from, f.name), join(to, f.name))
  }
  const d = first.doc
  const doc = sweepDocument({ name: d.name, specSha256: d.specSha256, spec: d.spec, inputs: d.inputs, formats: d.formats, axes: d.axes, points: n, shard: null, results: [...owner.values()].map((o) => o.point) })
  const files = renderSweepOutputs(doc)
  const written = writeOutputs(out, files)
  process.stdout.write(files['sweep.md']!)
  if (!quiet) process.stderr.write(`aifab: merged ${shards.length} director${shards.length === 1 ? 'y' : 'ies'}, ${n} points; wrote ${written.join(', ')} and ${join(out, 'points')}/\n`)
  return sweepExitCode(doc.results)
}
