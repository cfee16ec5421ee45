import { InputError } from '@aifab/core'
import { dcqcn } from './cc/dcqcn.ts'
import { dctcp } from './cc/dctcp.ts'
import { hpcc } from './cc/hpcc.ts'
import { none } from './cc/none.ts'
import { nscc } from './cc/nscc.ts'
import { swift } from './cc/swift.ts'
import { timely } from './cc/timely.ts'
import type { CcDefinition } from './congestion-control.ts'

/** The built-in congestion controllers, by name. */
export const BUILTIN_CC: Readonly<Record<string, CcDefinition>> = { none, dcqcn, hpcc, dctcp, timely, swift, nscc }

/** A built-in by name; an unknown name is an input error listing the known ones. */
export function builtinCc(name: string, source: string, path: string): CcDefinition {
  const def = BUILTIN_CC[name]
  if (def === undefined) {
    throw new InputError(source, path, `unknown congestion control ${JSON.stringify(name)}; built-ins: ${Object.keys(BUILTIN_CC).join(', ')} (or a path to a module, e.g. ./my-cc.mjs)`)
  }
  return def
}

/** The definition's defaults overridden by `given`; unknown or non-finite names are input errors. */
export function resolveCcParams(def: CcDefinition, given: Readonly<Record<string, number>>, source: string, path: string): Record<string, number> {
  const out: Record<string, number> = {}
  for (const [k, v] of Object.entries(def.params)) out[k] = v.default
  for (const [k, v] of Object.entries(given)) {
    if (!(k in def.params)) {
      const known = Object.keys(def.params)
      throw new InputError(source, `${path}.${k}`, `${def.name} has no parameter ${k}; it has: ${known.length ? known.join(', ') : 'none'}`)
    }
    const p = def.params[k]!
    const range = p.min !== undefined && p.max !== undefined ? ` in ${p.min}..${p.max}` : p.min !== undefined ? ` >= ${p.min}` : p.max !== undefined ? ` <= ${p.max}` : ''
    if (typeof v !== 'number' || !Number.isFinite(v) || (p.min !== undefined && v < p.min) || (p.max !== undefined && v > p.max)) {
      throw new InputError(source, `${path}.${k}`, `expected a number${range}, got ${JSON.stringify(v)}`)
    }
    out[k] = v
  }
  return out
}
