// Golden scenarios: small runs whose whole JSON report is committed
// (test/golden/<name>.report.json). test/golden.test.ts re-runs them through
// the CLI and compares byte for byte; `npm run golden:update` rewrites the
// files. A change that moves a number updates them in the same commit and
// says why in the commit message.
import { spawnSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

export const root = fileURLToPath(new URL('../../', import.meta.url))
export interface GoldenScenario {
  name: string
  why: string
  args: string[]
}
export const SCENARIOS: GoldenScenario[] = JSON.parse(readFileSync(join(root, 'test/golden/scenarios.json'), 'utf8'))
export const goldenFile = (s: GoldenScenario) => join(root, 'test/golden', `${s.name}.report.json`)

/** The scenario's report, as `aifab replay ... --json` prints it from the repository root. */
export function runGolden(s: GoldenScenario): { code: number | null; report: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(root, 'packages/cli/bin/aifab.js'), 'replay', ...s.args, '--json', '--quiet'], { cwd: root, encoding: 'utf8' })
  return { code: r.status, report: r.stdout, stderr: r.stderr }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  for (const s of SCENARIOS) {
    const r = runGolden(s)
    if (r.code !== 0) throw new Error(`${s.name}: exit ${r.code}: ${r.stderr}`)
    writeFileSync(goldenFile(s), r.report)
    process.stderr.write(`golden: wrote ${goldenFile(s)}\n`)
  }
}
