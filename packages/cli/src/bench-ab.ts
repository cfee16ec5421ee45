// `npm run bench -- --ab REV`: this working tree against another revision,
// scenario by scenario, the two runs of each pair at the same time, one per
// core. On a shared machine one run after another swings by up to 2x, which
// buries a 10% change; two runs side by side meet the same neighbours, so
// their ratio holds better. Measured, the same build against itself: 0.97-1.03
// on the 128-host cases, 0.94-1.64 on the 1024-host one (its cache misses make
// it the noisiest). So the verdict is a sign test over the pairs, not one ratio.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, existsSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

export interface AbRow {
  scenario: string
  wallSeconds: number
  events: number
  packetHops: number
}

export interface AbPair {
  base: AbRow
  work: AbRow
}

export interface AbSummary {
  scenario: string
  baseFastest: number
  workFastest: number
  /** work / base of each pair, sorted. */
  ratios: number[]
  medianRatio: number
  /** Two-sided sign test of the pairs against "no change": the chance of so one-sided a split if the two were the same. */
  signTestP: number
  /** Faster or slower when the sign test gives p < 0.05 (at least six pairs: six of six one way, eight of nine, ...); otherwise within the noise. */
  verdict: 'faster' | 'slower' | 'within noise'
  /** Same events and packet-hops in every pair: the change did not alter what was simulated. */
  sameWork: boolean
}

/** The pairs of one scenario, summed up. */
export function summarizeAb(pairs: readonly AbPair[]): AbSummary {
  const ratios = pairs.map((p) => p.work.wallSeconds / p.base.wallSeconds).sort((a, b) => a - b)
  const median = ratios.length % 2 === 1 ? ratios[(ratios.length - 1) / 2]! : (ratios[ratios.length / 2 - 1]! + ratios[ratios.length / 2]!) / 2
  const faster = ratios.filter((r) => r < 1).length
  const slower = ratios.filter((r) => r > 1).length
  const p = signTestP(faster, slower)
  return {
    scenario: pairs[0]!.work.scenario,
    baseFastest: Math.min(...pairs.map((p) => p.base.wallSeconds)),
    workFastest: Math.min(...pairs.map((p) => p.work.wallSeconds)),
    ratios,
    medianRatio: median,
    signTestP: p,
    verdict: p >= 0.05 ? 'within noise' : faster > slower ? 'faster' : 'slower',
    sameWork: pairs.every((p) => p.base.events === p.work.events && p.base.packetHops === p.work.packetHops),
  }
}

/** Two-sided sign test: P(a split at least this uneven) for a fair coin over `a + b` pairs (ties left out). */
export function signTestP(a: number, b: number): number {
  const n = a + b
  const k = Math.min(a, b)
  let tail = 0
  let c = 1 // n choose i
  for (let i = 0; i <= k; i++) {
    tail += c
    c = (c * (n - i)) / (i + 1)
  }
  return Math.min(1, (2 * tail) / 2 ** n)
}

/** Thrown for what the user got wrong (exit 2): an unknown revision, scenario lists that differ. */
export class AbInputError extends Error {}

/**
 * Bundles the bench of the tree at `root` into `outfile`, its workspace packages
 * taken from that tree and every other dependency from `nodeModules` (a
 * checked-out revision has no node_modules of its own).
 */
async function bundleBench(root: string, nodeModules: string, outfile: string): Promise<void> {
  const { build } = await import('esbuild')
  const alias: Record<string, string> = {}
  for (const pkg of readdirSync(join(root, 'packages'))) {
    const index = join(root, 'packages', pkg, 'src', 'index.ts')
    if (existsSync(index)) alias[`@aifab/${pkg}`] = index
  }
  await build({
    entryPoints: [join(root, 'packages', 'cli', 'src', 'bench.ts')],
    outfile,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    alias,
    nodePaths: [nodeModules],
    external: ['tsx', 'tsx/*', 'esbuild'],
    banner: { js: "import { createRequire as __abRequire } from 'node:module'; const require = __abRequire(import.meta.url);" },
    logLevel: 'error',
  })
}

/** Children running now: killed if the user interrupts the comparison. */
const running = new Set<ChildProcess>()

/** One scenario run of a bundle, in `cwd` (where that revision's configs are); `who` names the side in errors, `base` says it is the other revision's. */
function runOnce(bundle: string, cwd: string, index: number, who: string, base: boolean): Promise<AbRow> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [bundle, '--one', String(index)], { cwd, stdio: ['ignore', 'pipe', 'pipe'] })
    running.add(child)
    let out = ''
    let err = ''
    child.stdout.on('data', (d) => (out += d))
    child.stderr.on('data', (d) => (err += d))
    child.on('close', (code) => {
      running.delete(child)
      const last = err.trim().split('\n').pop()
      try {
        if (code !== 0) throw new Error(`exited ${code}${last ? `: ${last}` : ''}`)
        const r = JSON.parse(out) as { scenario: string; coldWallSeconds: number; warmWallSeconds: number | null; events: number; packetHops: number }
        resolve({ scenario: r.scenario, wallSeconds: r.warmWallSeconds ?? r.coldWallSeconds, events: r.events, packetHops: r.packetHops })
      } catch (e) {
        const why = (e as Error).message.split('\n')[0]
        // An older bench may lack the scenario, or `--one`: said as what it is, not as a stack trace.
        reject(base ? new AbInputError(`--ab: the bench of ${who} could not run scenario ${index} (${why}); compare with a revision whose bench has the same scenarios`) : new Error(`bench: scenario ${index} failed in this tree: ${why}`))
      }
    })
  })
}

/**
 * Runs scenarios `indices` (of this tree's list) `repeat` times as pairs: the
 * bench of revision `rev` (checked out into a temporary worktree) and that of
 * this working tree, side by side. Calls `onScenario` as each finishes.
 */
export async function runAb(repoRoot: string, rev: string, indices: readonly number[], names: readonly string[], repeat: number, onScenario: (s: AbSummary) => void): Promise<AbSummary[]> {
  const verify = spawnSync('git', ['rev-parse', '--verify', '--quiet', `${rev}^{commit}`], { cwd: repoRoot, encoding: 'utf8' })
  if (verify.status !== 0) throw new AbInputError(`--ab: expected a commit of this repository (a hash, branch or tag), got ${JSON.stringify(rev)}`)
  const commit = verify.stdout.trim()
  const dir = mkdtempSync(join(tmpdir(), 'aifab-ab-'))
  const tree = join(dir, 'tree')
  const cleanUp = () => {
    for (const c of running) c.kill('SIGKILL')
    spawnSync('git', ['worktree', 'remove', '--force', tree], { cwd: repoRoot })
    rmSync(dir, { recursive: true, force: true })
  }
  // Interrupted (Ctrl-C, a job's time limit): no worktree left registered behind.
  const onSignal = (signal: NodeJS.Signals) => {
    cleanUp()
    process.exit(signal === 'SIGINT' ? 130 : 143)
  }
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    const r = spawnSync('git', ['worktree', 'add', '--detach', '--quiet', tree, commit], { cwd: repoRoot, encoding: 'utf8' })
    if (r.status !== 0) throw new Error(`git worktree add ${tree} ${commit}: ${r.stderr.trim()}`)
    const nodeModules = join(repoRoot, 'node_modules')
    const base = join(dir, 'base.mjs')
    const work = join(dir, 'work.mjs')
    await bundleBench(tree, nodeModules, base)
    await bundleBench(repoRoot, nodeModules, work)
    const out: AbSummary[] = []
    for (const i of indices) {
      const pairs: AbPair[] = []
      for (let k = 0; k < repeat; k++) {
        const [b, w] = await Promise.all([runOnce(base, tree, i, rev, true), runOnce(work, repoRoot, i, 'this tree', false)])
        if (b.scenario !== names[i]) throw new AbInputError(`--ab: scenario ${i} is "${b.scenario}" at ${rev} but "${names[i]}" here; compare with a revision whose bench has the same scenarios`)
        pairs.push({ base: b, work: w })
      }
      const s = summarizeAb(pairs)
      out.push(s)
      onScenario(s)
    }
    return out
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    cleanUp()
  }
}
