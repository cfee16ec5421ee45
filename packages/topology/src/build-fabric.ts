import { builtinCc, resolveCcParams, type CcDefinition } from '@aifab/nic'
import type { FabricProfile } from './fabric-profile.ts'
import type { Fabric } from './fabric.ts'
import { buildLeafSpine } from './leaf-spine.ts'
import { buildFatTree } from './fat-tree.ts'
import { buildRail } from './rail.ts'
import type { TopologyConfig } from './topology-config.ts'

/**
 * Builds the fabric a topology config describes (one builder per `kind`), with
 * the profile's congestion control: `cc` when given (a user module the CLI
 * loaded), else the built-in the profile names.
 */
export function buildFabric(topo: TopologyConfig, profile: FabricProfile, seed: number, cc?: CcDefinition): Fabric {
  const def = cc ?? builtinCc(profile.nic.congestionControl, 'profile', 'nic.congestionControl')
  const params = resolveCcParams(def, profile.nic.ccParams, 'profile', 'nic.ccParams')
  switch (topo.kind) {
    case 'leaf-spine':
      return buildLeafSpine(topo, profile, seed, def, params)
    case 'fat-tree':
      return buildFatTree(topo, profile, seed, def, params)
    case 'rail':
      return buildRail(topo, profile, seed, def, params)
  }
}
