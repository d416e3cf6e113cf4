/** A run gives up when its first this-many attempts all failed the same way. */
export const FAIL_FAST_AFTER = 3

/**
 * Notices a broken setup (missing model, bad import, wrong path): when the first attempts of a run all fail with
 * the same reason and none succeeded, more trials would only burn the budget.
 */
export class FailFast {
  private readonly failures: string[] = []
  private succeeded = false

  /**
   * Records how an attempt ended. Infeasible trials (e.g. predicted out-of-memory) say nothing about the setup; a
   * failure whose retry is queued is not final: with `retries` the user expects transient failures, and stopping
   * before any retry ran would make the option do nothing.
   */
  record(state: string, reason: string | undefined, infeasible: boolean, retried = false): void {
    if (retried) return
    if (state === 'FAIL' && reason !== undefined && !infeasible)
      this.failures.push(reason.replace(/^trial exited with /, ''))
    else if (state === 'COMPLETE' || state === 'PRUNED' || state === 'PAUSED') this.succeeded = true
  }

  /** The common failure once the run should stop, else undefined. */
  reason(): string | undefined {
    const f = this.failures
    if (this.succeeded || f.length < FAIL_FAST_AFTER || !f.every((r) => r === f[0])) return undefined
    return f[0]
  }
}
