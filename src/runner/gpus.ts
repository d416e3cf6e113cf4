import { execFileSync } from 'node:child_process'
import { WinnowError } from '../core/errors.ts'
import { type HeldElsewhere, HostGpuLeases } from './host-gpu-leases.ts'

/** One GPU of this machine. */
export interface GpuDevice {
  readonly index: number
  /** nvidia-smi's GPU UUID: the same card under every index a container or job may see it as. */
  readonly uuid?: string
  readonly memoryMiB?: number
}

/** GPUs given to one trial attempt: the indices for CUDA_VISIBLE_DEVICES and how many GPUs it counts as. */
export interface GpuLease {
  readonly indices: readonly number[]
  /** GPUs held for cost accounting (0.5 when two trials share one GPU). */
  readonly gpus: number
  /** The lease's share files in the host registry (see HostGpuLeases), released with it. */
  readonly hostFiles?: readonly string[]
}

/** How trials use GPUs. */
export interface GpuOptions {
  /** GPUs per trial: an integer N ≥ 1, or a fraction (0.5: two trials share one GPU); 0 = CPU trials. */
  readonly perTrial: number
  /** Which GPUs to use: 'all' (detected with nvidia-smi) or a configured subset of indices. @default 'all' */
  readonly devices?: 'all' | readonly number[]
}

/**
 * Lists the GPUs with `nvidia-smi --query-gpu=index,uuid,memory.total --format=csv,noheader`; an empty list when
 * nvidia-smi is missing or fails (a CPU-only machine).
 */
export function detectGpus(run: (cmd: string, args: string[]) => string = defaultRun): GpuDevice[] {
  let out: string
  try {
    out = run('nvidia-smi', ['--query-gpu=index,uuid,memory.total', '--format=csv,noheader'])
  } catch {
    return []
  }
  const devices: GpuDevice[] = []
  for (const line of out.split('\n')) {
    const fields = line.split(',').map((f) => f.trim())
    if (!/^\d+$/.test(fields[0] ?? '')) continue
    const uuid = fields.find((f) => /^(GPU|MIG)-/.test(f))
    const mem = fields.map((f) => /^(\d+)\s*MiB$/i.exec(f)).find((m) => m !== null)
    devices.push({
      index: Number(fields[0]),
      ...(uuid !== undefined ? { uuid } : {}),
      ...(mem ? { memoryMiB: Number(mem[1]) } : {}),
    })
  }
  return devices
}

function defaultRun(cmd: string, args: string[]): string {
  return execFileSync(cmd, args, { encoding: 'utf8', timeout: 10_000, stdio: ['ignore', 'pipe', 'ignore'] })
}

/**
 * Hands out GPU slots to trials. Whole GPUs for `perTrial ≥ 1` (N free GPUs each); for a fraction, each GPU
 * holds `floor(1 / perTrial)` trials, filled one GPU at a time so that sharing starts only when needed.
 * CPU trials (`perTrial` 0) always get an empty lease and are limited by concurrency alone.
 */
export class GpuPool {
  private readonly used = new Map<number, number>()
  private readonly slotsPerGpu: number

  constructor(
    readonly devices: readonly GpuDevice[],
    readonly perTrial: number,
    /** Other Winnow processes' GPU leases on this host, to stay off their GPUs; none = this process only. */
    private readonly host?: HostGpuLeases,
  ) {
    if (!(perTrial >= 0) || (perTrial > 1 && !Number.isInteger(perTrial)))
      throw new WinnowError(
        'invalid_config',
        `resources.gpus_per_trial must be 0, a fraction in (0, 1] or a whole number, got ${perTrial}. Use e.g. 1, 2 or 0.5.`,
      )
    if (perTrial > 0 && devices.length < Math.ceil(perTrial))
      throw new WinnowError(
        'invalid_config',
        `Each trial needs ${perTrial} GPU(s) but ${devices.length} are available (${devices.map((d) => d.index).join(', ') || 'none found by nvidia-smi'}). Lower gpus_per_trial or set gpus_per_trial: 0 for CPU trials.`,
      )
    this.slotsPerGpu = perTrial > 0 && perTrial < 1 ? Math.floor(1 / perTrial + 1e-9) : 1
    for (const d of devices) this.used.set(d.index, 0)
  }

  /** Builds a pool from options, detecting GPUs when `devices` is 'all'. */
  static fromOptions(
    opts: GpuOptions | undefined,
    detect: () => GpuDevice[] = detectGpus,
    host: HostGpuLeases = new HostGpuLeases(),
  ): GpuPool {
    if (opts === undefined || opts.perTrial === 0) return new GpuPool([], 0)
    const found = opts.devices === 'all' || opts.devices === undefined ? detect() : undefined
    const devices = found ?? (opts.devices as readonly number[]).map((index) => ({ index }))
    return new GpuPool(devices, opts.perTrial, host)
  }

  /** How many trials can hold a lease at once (Infinity for CPU trials). */
  get capacity(): number {
    if (this.perTrial === 0) return Number.POSITIVE_INFINITY
    return this.perTrial < 1 ? this.devices.length * this.slotsPerGpu : Math.floor(this.devices.length / this.perTrial)
  }

  /**
   * Pids of other Winnow processes on this host whose GPUs the last refused `tryAcquire` waited for (it would have
   * had room but for them); empty when it was this run's own trials, or when the last call succeeded.
   */
  waitingFor: ReadonlySet<number> = new Set()

  /** A lease when enough GPUs are free (here and, with a host registry, in other Winnow processes), else undefined. */
  tryAcquire(): GpuLease | undefined {
    if (this.perTrial === 0) return { indices: [], gpus: 0 }
    const alone: HeldElsewhere = { fractions: new Map(), pids: new Set() }
    if (this.host === undefined) return this.take(alone)
    let lease: GpuLease | undefined
    let blockedBy: ReadonlySet<number> = new Set()
    const fraction = Math.min(1, this.perTrial)
    const files = this.host.claim((elsewhere) => {
      lease = this.take(elsewhere)
      if (lease === undefined && elsewhere.pids.size > 0 && this.pick(alone) !== undefined) blockedBy = elsewhere.pids
      return lease?.indices.map((index) => ({ key: this.keyOf(index), fraction }))
    })
    this.waitingFor = blockedBy
    return lease !== undefined && files !== undefined ? { ...lease, hostFiles: files } : undefined
  }

  private keyOf(index: number): string {
    return this.devices.find((d) => d.index === index)?.uuid ?? String(index)
  }

  /** Takes free GPUs, given what other processes hold. */
  private take(elsewhere: HeldElsewhere): GpuLease | undefined {
    const indices = this.pick(elsewhere)
    if (indices === undefined) return undefined
    for (const i of indices) this.used.set(i, (this.used.get(i) ?? 0) + 1)
    return { indices, gpus: this.perTrial }
  }

  /** The GPUs a lease would get now (nothing is taken), or undefined when none are free. */
  private pick(elsewhere: HeldElsewhere): number[] | undefined {
    const held = (d: GpuDevice) => elsewhere.fractions.get(d.uuid ?? String(d.index)) ?? 0
    if (this.perTrial < 1) {
      // Fill the most-used GPU that still has room, so whole GPUs stay free for as long as possible.
      let pick: number | undefined
      for (const d of this.devices) {
        const u = this.used.get(d.index) ?? 0
        const room = Math.min(this.slotsPerGpu, Math.floor((1 - held(d)) / this.perTrial + 1e-9))
        if (u < room && (pick === undefined || u > (this.used.get(pick) ?? 0))) pick = d.index
      }
      return pick === undefined ? undefined : [pick]
    }
    const free = this.devices
      .filter((d) => (this.used.get(d.index) ?? 0) === 0 && held(d) < 1e-9)
      .slice(0, this.perTrial)
    return free.length < this.perTrial ? undefined : free.map((d) => d.index)
  }

  /** Gives a lease back. */
  release(lease: GpuLease): void {
    for (const i of lease.indices) this.used.set(i, Math.max(0, (this.used.get(i) ?? 0) - 1))
    if (lease.hostFiles !== undefined) this.host?.release(lease.hostFiles)
  }
}

/** The CUDA_VISIBLE_DEVICES value of a lease (undefined for CPU trials: the variable is left as it is). */
export function cudaVisibleDevices(lease: GpuLease): string | undefined {
  return lease.indices.length === 0 ? undefined : lease.indices.join(',')
}

/** GPU-seconds of an attempt: wall seconds × GPUs held. */
export function gpuSeconds(wallSeconds: number, lease: GpuLease): number {
  return wallSeconds * lease.gpus
}
