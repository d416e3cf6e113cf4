import { readFileSync } from 'node:fs'

// File systems on which SQLite's locking is unreliable (https://www.sqlite.org/faq.html#q5), so several
// workers could corrupt the database or hand out one trial twice.
const NETWORK_FS = new Set([
  'nfs',
  'nfs4',
  'cifs',
  'smb3',
  'smbfs',
  'fuse.sshfs',
  'sshfs',
  '9p',
  'afs',
  'ceph',
  'glusterfs',
  'fuse.glusterfs',
  'lustre',
  'fuse.s3fs',
  'fuse.gcsfuse',
  'fuse.rclone',
])

/**
 * The type of the network file system that holds `absPath` (per /proc/mounts), or undefined when it is
 * local or the mount table is unreadable (non-Linux systems: nothing is detected).
 */
export function networkFileSystemOf(absPath: string, mountsText?: string): string | undefined {
  let text = mountsText
  if (text === undefined) {
    try {
      text = readFileSync('/proc/mounts', 'utf8')
    } catch {
      return undefined
    }
  }
  let best = ''
  let bestType = ''
  for (const line of text.split('\n')) {
    const [, rawMount, type] = line.split(' ')
    if (rawMount === undefined || type === undefined) continue
    // /proc/mounts escapes spaces and other specials as octal, e.g. "\040".
    const mount = rawMount.replace(/\\([0-7]{3})/g, (_, o: string) => String.fromCharCode(Number.parseInt(o, 8)))
    const inside = mount === '/' || absPath === mount || absPath.startsWith(mount.endsWith('/') ? mount : `${mount}/`)
    if (inside && mount.length >= best.length) {
      best = mount
      bestType = type
    }
  }
  return NETWORK_FS.has(bestType) ? bestType : undefined
}
