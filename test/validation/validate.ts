// `npm run validate`: runs the validation suite and prints its table
// (scenario, model, aifab, error, tolerance, pass); exits 1 if a row fails.
import { VALIDATIONS, type ValidationRow } from './validation-scenarios.ts'

const fmt = (x: number) => (Number.isInteger(x) ? String(x) : Math.abs(x) >= 100 ? x.toFixed(1) : x.toPrecision(4))
const rows: ValidationRow[] = []
for (const v of VALIDATIONS) {
  const t0 = performance.now()
  const got = v.rows()
  rows.push(...got)
  process.stderr.write(`validate: ${v.name}: ${got.length} rows in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`)
}
const pass = (r: ValidationRow) => r.aifab >= r.low && r.aifab <= r.high
const lines = [
  '| scenario | model | aifab | error | tolerance | pass |',
  '|---|---:|---:|---:|---|:-:|',
  ...rows.map((r) => {
    const unit = r.unit ? ` ${r.unit}` : ''
    const err = r.model !== 0 ? `${(((r.aifab - r.model) / r.model) * 100).toFixed(2)}%` : fmt(r.aifab - r.model)
    return `| ${r.scenario} | ${fmt(r.model)}${unit} | ${fmt(r.aifab)}${unit} | ${err} | ${r.tolerance} | ${pass(r) ? 'yes' : '**no**'} |`
  }),
]
process.stdout.write(lines.join('\n') + '\n')
process.exitCode = rows.every(pass) ? 0 : 1
