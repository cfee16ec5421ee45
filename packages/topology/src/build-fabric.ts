import type { FabricProfile } from './fabric-profile.ts'
import type { Fabric } from './fabric.ts'
import { buildLeafSpine } from './leaf-spine.ts'
import type { TopologyConfig } from './topology-config.ts'

/** Builds the fabric a topology config describes (one builder per `kind`). */
export function buildFabric(topo: TopologyConfig, profile: FabricProfile, seed: number): Fabric {
  switch (topo.kind) {
    case 'leaf-spine':
      return buildLeafSpine(topo, profile, seed)
  }
}
