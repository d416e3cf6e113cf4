import assert from 'node:assert/strict'
import { test } from 'node:test'
import { networkFileSystemOf } from './network-fs.ts'

const MOUNTS = [
  '/dev/vda1 / ext4 rw,relatime 0 0',
  'server:/export /mnt/shared nfs4 rw,relatime 0 0',
  'user@host:/x /home/me/remote\\040dir fuse.sshfs rw 0 0',
  'tmpfs /mnt/shared/local tmpfs rw 0 0',
  '//nas/share /mnt/nas cifs rw 0 0',
].join('\n')

test('network file systems are recognised by the longest matching mount point', () => {
  assert.equal(networkFileSystemOf('/mnt/shared/study.db', MOUNTS), 'nfs4')
  assert.equal(networkFileSystemOf('/mnt/shared/local/study.db', MOUNTS), undefined)
  assert.equal(networkFileSystemOf('/home/me/remote dir/w.db', MOUNTS), 'fuse.sshfs')
  assert.equal(networkFileSystemOf('/mnt/nas/w.db', MOUNTS), 'cifs')
  assert.equal(networkFileSystemOf('/mnt/sharedother/w.db', MOUNTS), undefined)
  assert.equal(networkFileSystemOf('/tmp/w.db', MOUNTS), undefined)
})
