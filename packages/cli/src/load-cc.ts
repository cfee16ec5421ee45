import { existsSync } from 'node:fs'
import { basename, dirname, relative, resolve } from 'node:path'
import { pathToFileURL } from 'node:url'
import { InputError } from '@aifab/core'
import { BUILTIN_CC, type CcDefinition, type CcParam } from '@aifab/nic'

/**
 * The congestion controller a profile names: a built-in, or an ES module at a
 * path (relative to `baseDir`). A module's default export is either a factory
 * `(params, ctx) => controller` (with optional named exports `name`,
 * `description`, `params`) or a definition `{ name, params, create }`.
 */
export async function loadCc(spec: string, baseDir: string, source: string): Promise<CcDefinition> {
  const builtin = BUILTIN_CC[spec]
  if (builtin !== undefined) return builtin
  if (!/[./\\]/.test(spec)) {
    throw new InputError(source, 'nic.congestionControl', `unknown congestion control ${JSON.stringify(spec)}; built-ins: ${Object.keys(BUILTIN_CC).join(', ')}, or a path to a module such as ./my-cc.mjs`)
  }
  const path = resolve(baseDir, spec)
  let mod: Record<string, unknown>
  try {
    // The bundled CLI runs without tsx: a TypeScript module needs its hooks, registered on first use.
    if (/\.[mc]?ts$/.test(path)) await registerTsx()
    mod = (await import(pathToFileURL(path).href)) as Record<string, unknown>
  } catch (e) {
    const err = e as NodeJS.ErrnoException
    // ERR_MODULE_NOT_FOUND is also what a missing import inside the module raises: say "no such file" only for the module itself.
    const missingSelf = err.code === 'ERR_MODULE_NOT_FOUND' && !existsSync(path)
    const why = missingSelf ? 'no such file' : (err.message ?? String(e)).split('\n')[0]
    throw new InputError(spec, '', `cannot load congestion-control module: ${why}`)
  }
  // A TypeScript module compiled as CommonJS arrives wrapped: its exports object is `default`.
  const wrapped = mod.default as Record<string, unknown> | undefined
  if (typeof wrapped === 'object' && wrapped !== null && 'default' in wrapped && !('create' in wrapped)) mod = wrapped
  const d = mod.default as unknown
  const fail = (expected: string): never => {
    throw new InputError(spec, '', expected)
  }
  let def: Partial<CcDefinition> & { create?: unknown }
  if (typeof d === 'function') def = { name: mod.name as string, description: mod.description as string, params: mod.params as CcDefinition['params'], create: d as CcDefinition['create'] }
  else if (typeof d === 'object' && d !== null && typeof (d as CcDefinition).create === 'function') def = d as CcDefinition
  else return fail('expected a default export: a factory (params, ctx) => controller, or { name, params, create }')
  const params = (def.params ?? {}) as Record<string, unknown>
  if (typeof params !== 'object' || params === null) fail('params: expected an object of { default, description }')
  for (const [k, p] of Object.entries(params)) {
    if (typeof p !== 'object' || p === null || typeof (p as CcParam).default !== 'number') fail(`params.${k}: expected { default: number, description: string }`)
  }
  return {
    ...(def as CcDefinition),
    name: typeof def.name === 'string' && def.name ? def.name : basename(spec),
    description: typeof def.description === 'string' ? def.description : '',
    params: params as Record<string, CcParam>,
  }
}

/** Where a profile's module path is relative to: the profile file, unless --cc gave it (then the working directory). */
export function ccBaseDir(profilePath: string, fromFlag: boolean): string {
  return fromFlag ? process.cwd() : dirname(profilePath)
}

/** The module file a congestion-control spec names (relative to the working directory, as the trace's is), or null for a built-in. */
export function ccModuleFile(spec: string, baseDir: string): string | null {
  return BUILTIN_CC[spec] !== undefined ? null : relative(process.cwd(), resolve(baseDir, spec))
}

/** tsx's ES-module and CommonJS hooks, once; the bin has registered them already when it runs the sources. */
async function registerTsx(): Promise<void> {
  const g = globalThis as { __aifabTsxRegistered?: boolean }
  if (g.__aifabTsxRegistered) return
  g.__aifabTsxRegistered = true
  const esm = await import('tsx/esm/api')
  const cjs = await import('tsx/cjs/api')
  esm.register()
  // A .ts module outside an ES-module package loads as CommonJS: tsx's CJS hook compiles it.
  cjs.register()
}
