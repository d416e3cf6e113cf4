/**
 * Sends a signal to every process of a group (`kill(-pgid)`), so `torchrun` / `accelerate` ranks and data
 * loader workers end with their trial. Returns false when the group no longer exists.
 */
export function signalGroup(pgid: number, sig: NodeJS.Signals | 0): boolean {
  try {
    process.kill(-pgid, sig)
    return true
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ESRCH') return false
    // EPERM: a member changed user (setuid); nothing more we can do from here.
    return false
  }
}

/** Whether any process (zombies included) is still in the group. */
export function groupExists(pgid: number): boolean {
  return signalGroup(pgid, 0)
}
