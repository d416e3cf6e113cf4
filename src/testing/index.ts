// `winnow/testing`: the contract suites every implementation of a seam must pass. Public on purpose, so a
// third-party storage or sampler can prove it keeps Winnow's invariants:
//
//   describeStorageContract('my-db', { create: () => MyStorage.open(url) })
//   describeSamplerContract('my-sampler', { create: (seed) => new MySampler({ seed }), capabilities: ['relative'] })

export {
  CONTRACT_SPACE,
  describeSamplerContract,
  type SamplerCapability,
  type SamplerContractOptions,
} from './sampler-contract.ts'
export { describeStorageContract, type StorageContractOptions } from './storage-contract.ts'
