import { checkCcFitsProfile, type FabricProfile, type TopologyConfig } from '@aifab/topology'
import { resolveCcParams, type CcDefinition } from '@aifab/nic'
import type { RunInputs } from '@aifab/report'
import { loadProfile, type ProfileOverrides } from './load-config.ts'
import { ccBaseDir, ccModuleFile, loadCc } from './load-cc.ts'
import { sha256OfFile } from './sha256-of-file.ts'

/** A profile ready to run: flags applied, its congestion controller loaded and checked against it. */
export interface RunProfile {
  profile: FabricProfile
  cc: CcDefinition
  /** The module file the controller came from, with its hash (null for a built-in), for the report. */
  ccModule: RunInputs['ccModule']
}

/**
 * Loads a profile with flag overrides and its congestion controller (a
 * built-in, or a module: relative to the profile file, or to the working
 * directory when --cc gave it), and checks the pair; errors name the file or
 * the flag at fault.
 */
export async function loadRunProfile(path: string, overrides: ProfileOverrides, topology: TopologyConfig): Promise<RunProfile> {
  const profile = loadProfile(path, overrides, topology)
  const spec = profile.nic.congestionControl
  const fromFlag = overrides.cc !== undefined
  const baseDir = ccBaseDir(path, fromFlag)
  const cc = await loadCc(spec, baseDir, fromFlag ? '--cc' : path)
  checkCcFitsProfile(cc, profile, fromFlag ? '--cc' : path)
  resolveCcParams(cc, profile.nic.ccParams, overrides['cc-param'] ? '--cc-param' : path, 'nic.ccParams')
  const file = ccModuleFile(spec, baseDir)
  return { profile, cc, ccModule: file === null ? null : { file, sha256: sha256OfFile(file) } }
}
