import {
  type Distribution,
  finiteValues,
  type ParamValue,
  type ParamValues,
  type SearchSpace,
} from '../distributions/distribution.ts'
import { evenlySpacedValues } from '../distributions/levels.ts'
import { SearchSpaceError } from '../errors.ts'
import { checkOptionNames, type OptionNames } from '../option-names.ts'
import { QueuedPointsSampler } from './finite-points.ts'

/** Options of `GridSampler`. */
export interface GridSamplerOptions {
  /** The values to try per parameter. Use `gridFromSpace` to derive them from a declared space. */
  readonly grid: Readonly<Record<string, readonly ParamValue[]>>
}

const OPTION_NAMES = { grid: true } satisfies OptionNames<GridSamplerOptions>

/**
 * Tries every combination of the given values once. The whole grid is queued when the study is created,
 * and each queued point is claimed atomically by one worker, so no point runs twice however many workers
 * share the study; `isExhausted` ends the study when every point has been handed out.
 */
export class GridSampler extends QueuedPointsSampler {
  readonly name = 'grid'
  protected readonly names: string[]
  protected readonly points: ParamValues[]

  constructor(opts: GridSamplerOptions) {
    super()
    checkOptionNames('GridSampler', opts, OPTION_NAMES)
    this.names = Object.keys(opts.grid).sort()
    for (const n of this.names)
      if (opts.grid[n].length === 0)
        throw new SearchSpaceError(`Grid for "${n}" is empty. Give at least one value per parameter.`)
    this.points = cartesian(this.names, opts.grid)
  }

  sampleIndependent(_ctx: unknown, param: string): ParamValue {
    throw new SearchSpaceError(
      `Parameter "${param}" is not in the grid (${this.names.join(', ')}). Add it to the grid or fix its value in the space.`,
    )
  }
}

function cartesian(names: readonly string[], grid: Readonly<Record<string, readonly ParamValue[]>>): ParamValues[] {
  let out: Record<string, ParamValue>[] = [{}]
  for (const n of names) out = out.flatMap((p) => grid[n].map((v) => ({ ...p, [n]: v })))
  return out
}

/**
 * Derives grid values from a space: every value of a finite distribution (categorical, int, stepped float);
 * `levels` evenly spaced values (log-spaced for log distributions) of a continuous one.
 */
export function gridFromSpace(space: SearchSpace, opts: { levels?: number } = {}): Record<string, ParamValue[]> {
  const levels = opts.levels ?? 5
  if (!Number.isInteger(levels) || levels < 1)
    throw new SearchSpaceError(`Grid levels must be a whole number >= 1, but got ${levels}.`)
  return Object.fromEntries(Object.entries(space).map(([n, d]) => [n, valuesOf(d, levels)]))
}

function valuesOf(d: Distribution, levels: number): ParamValue[] {
  if (d.kind === 'categorical') return [...d.choices]
  const all = finiteValues(d)
  if (all !== undefined && all.length <= levels) return all
  return evenlySpacedValues(d, levels)
}
