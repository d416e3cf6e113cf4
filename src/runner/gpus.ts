import { execFileSync } from 'node:child_process'
import { WinnowError } from '../core/errors.ts'
import { HostGpuLeases } from './host-gpu-leases.ts'

/** One GPU of this machine. */
export interface GpuDevice {
  readonly index: number
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
 * Lists the GPUs with `nvidia-smi --query-gpu=index,memory.total --format=csv,noheader`; an empty list when
 * nvidia-smi is missing or fails (a CPU-only machine).
 */
export function detectGpus(run: (cmd: string, args: string[]) => string = defaultRun): GpuDevice[] {
  let out: string
  try {
    out = run('nvidia-smi', ['--query-gpu=index,memory.total', '--format=csv,noheader'])
  } catch {
    return []
  }
  const devices: GpuDevice[] = []
  for (const line of out.split('\n')) {
    const m = /^\s*(\d+)\s*,\s*(\d+)\s*MiB/i.exec(line)
    if (m !== null) devices.push({ index: Number(m[1]), memoryMiB: Number(m[2]) })
    else if (/^\s*\d+\s*$/.test(line)) devices.push({ index: Number(line.trim()) })
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

  /** A lease when enough GPUs are free (here and, with a host registry, in other Winnow processes), else undefined. */
  tryAcquire(): GpuLease | undefined {
    if (this.perTrial === 0) return { indices: [], gpus: 0 }
    if (this.host === undefined) return this.take(new Map())
    let lease: GpuLease | undefined
    const fraction = Math.min(1, this.perTrial)
    const files = this.host.claim((elsewhere) => {
      lease = this.take(elsewhere)
      return lease?.indices.map((index) => ({ index, fraction }))
    })
    return lease !== undefined && files !== undefined ? { ...lease, hostFiles: files } : undefined
  }

  /** Takes free GPUs, given the fractions other processes hold (`elsewhere`, by index). */
  private take(elsewhere: ReadonlyMap<number, number>): GpuLease | undefined {
    if (this.perTrial < 1) {
      // Fill the most-used GPU that still has room, so whole GPUs stay free for as long as possible.
      let pick: number | undefined
      for (const d of this.devices) {
        const u = this.used.get(d.index) ?? 0
        const room = Math.min(this.slotsPerGpu, Math.floor((1 - (elsewhere.get(d.index) ?? 0)) / this.perTrial + 1e-9))
        if (u < room && (pick === undefined || u > (this.used.get(pick) ?? 0))) pick = d.index
      }
      if (pick === undefined) return undefined
      this.used.set(pick, (this.used.get(pick) ?? 0) + 1)
      return { indices: [pick], gpus: this.perTrial }
    }
    const free = this.devices
      .filter((d) => (this.used.get(d.index) ?? 0) === 0 && (elsewhere.get(d.index) ?? 0) < 1e-9)
      .slice(0, this.perTrial)
    if (free.length < this.perTrial) return undefined
    for (const d of free) this.used.set(d.index, 1)
    return { indices: free.map((d) => d.index), gpus: this.perTrial }
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
