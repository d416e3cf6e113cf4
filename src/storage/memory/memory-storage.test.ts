import { describeStorageContract } from '../../testing/storage-contract.ts'
import { MemoryStorage } from './memory-storage.ts'

describeStorageContract('MemoryStorage', { create: async () => new MemoryStorage() })
