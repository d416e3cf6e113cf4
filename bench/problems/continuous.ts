/**
 * The noiseless continuous test functions of the public suite (PROBLEMS.md §1), with the constants and optima of the
 * Python reference (anchors/optuna/problems.py). Parameters are `x0 … x{d−1}`, all plain floats.
 */
import { spaceCodec } from './noise.ts'
import type { BenchProblem, Distribution, ParamValues } from './types.ts'

/** Branin (x1 = `x0`, x2 = `x1`). */
export function branin(x: readonly number[]): number {
  const [x1, x2] = x
  const a = 1.0
  const b = 5.1 / (4 * Math.PI ** 2)
  const c = 5.0 / Math.PI
  const r = 6.0
  const s = 10.0
  const t = 1.0 / (8 * Math.PI)
  return a * (x2 - b * x1 ** 2 + c * x1 - r) ** 2 + s * (1 - t) * Math.cos(x1) + s
}

const H_ALPHA = [1.0, 1.2, 3.0, 3.2]
const H3_A = [
  [3.0, 10, 30],
  [0.1, 10, 35],
  [3.0, 10, 30],
  [0.1, 10, 35],
]
const H3_P = [
  [3689, 1170, 2673],
  [4699, 4387, 7470],
  [1091, 8732, 5547],
  [381, 5743, 8828],
].map((row) => row.map((v) => 1e-4 * v))
const H6_A = [
  [10, 3, 17, 3.5, 1.7, 8],
  [0.05, 10, 17, 0.1, 8, 14],
  [3, 3.5, 1.7, 10, 17, 8],
  [17, 8, 0.05, 10, 0.1, 14],
]
const H6_P = [
  [1312, 1696, 5569, 124, 8283, 5886],
  [2329, 4135, 8307, 3736, 1004, 9991],
  [2348, 1451, 3522, 2883, 3047, 6650],
  [4047, 8828, 8732, 5743, 1091, 381],
].map((row) => row.map((v) => 1e-4 * v))

function hartmann(x: readonly number[], A: number[][], P: number[][]): number {
  let f = 0
  for (let i = 0; i < 4; i++) {
    let inner = 0
    for (let j = 0; j < x.length; j++) inner += A[i][j] * (x[j] - P[i][j]) ** 2
    f += H_ALPHA[i] * Math.exp(-inner)
  }
  return -f
}

/** Hartmann, 3-D. */
export const hartmann3 = (x: readonly number[]): number => hartmann(x, H3_A, H3_P)
/** Hartmann, 6-D. */
export const hartmann6 = (x: readonly number[]): number => hartmann(x, H6_A, H6_P)

/** Rosenbrock, any dimension. */
export function rosenbrock(x: readonly number[]): number {
  let f = 0
  for (let i = 0; i < x.length - 1; i++) f += 100.0 * (x[i + 1] - x[i] ** 2) ** 2 + (x[i] - 1.0) ** 2
  return f
}

/** Ackley (a = 20, b = 0.2, c = 2π), any dimension. */
export function ackley(x: readonly number[]): number {
  const d = x.length
  let s1 = 0
  let s2 = 0
  for (const v of x) {
    s1 += v ** 2
    s2 += Math.cos(2 * Math.PI * v)
  }
  return -20.0 * Math.exp(-0.2 * Math.sqrt(s1 / d)) - Math.exp(s2 / d) + 20.0 + Math.E
}

/** Styblinski–Tang, any dimension. */
export function styblinskiTang(x: readonly number[]): number {
  let f = 0
  for (const v of x) f += v ** 4 - 16 * v ** 2 + 5 * v
  return 0.5 * f
}

/** Levy, any dimension. */
export function levy(x: readonly number[]): number {
  const w = x.map((v) => 1.0 + (v - 1.0) / 4.0)
  const d = w.length
  let f = Math.sin(Math.PI * w[0]) ** 2
  for (let i = 0; i < d - 1; i++) f += (w[i] - 1) ** 2 * (1 + 10 * Math.sin(Math.PI * w[i] + 1) ** 2)
  f += (w[d - 1] - 1) ** 2 * (1 + Math.sin(2 * Math.PI * w[d - 1]) ** 2)
  return f
}

/** Styblinski–Tang: the 1-D minimiser and the minimum per dimension (−39.16616570377142). */
export const ST_XSTAR = -2.903534027771177
const ST_1D_MIN = 0.5 * (ST_XSTAR ** 4 - 16 * ST_XSTAR ** 2 + 5 * ST_XSTAR)

const vector = (x: readonly number[]): ParamValues => Object.fromEntries(x.map((v, i) => [`x${i}`, v]))

/** Wraps a vector function as a noiseless BenchProblem with parameters x0..x{d−1} on the given bounds. */
export function continuousProblem(
  name: string,
  f: (x: readonly number[]) => number,
  bounds: readonly (readonly [number, number])[],
  fstar: number,
  xstar: readonly number[],
): BenchProblem {
  const space: Record<string, Distribution> = {}
  bounds.forEach(([low, high], i) => {
    space[`x${i}`] = { kind: 'float', low, high, log: false }
  })
  const codec = spaceCodec(name, space)
  const d = bounds.length
  return {
    name,
    space,
    fstar,
    noisy: false,
    xstar: vector(xstar),
    evaluate(params) {
      const p = codec.resolve(params)
      const x: number[] = []
      for (let i = 0; i < d; i++) x.push(p[`x${i}`] as number)
      const v = f(x)
      return { observed: v, clean: v }
    },
  }
}

const cube = (d: number, low: number, high: number): [number, number][] =>
  Array.from({ length: d }, () => [low, high] as [number, number])
const fill = (d: number, v: number): number[] => Array.from({ length: d }, () => v)

/** The seven continuous problems of the public suite, in PROBLEMS.md order. */
export const continuousProblems: readonly BenchProblem[] = [
  continuousProblem(
    'branin',
    branin,
    [
      [-5, 10],
      [0, 15],
    ],
    0.397887357729738,
    [-Math.PI, 12.275],
  ),
  continuousProblem('hartmann3', hartmann3, cube(3, 0, 1), -3.862779787332663, [0.114588897, 0.555648897, 0.852546984]),
  continuousProblem(
    'hartmann6',
    hartmann6,
    cube(6, 0, 1),
    -3.322368011415515,
    [0.201689514, 0.15001069, 0.476873971, 0.27533243, 0.311651615, 0.657300531],
  ),
  continuousProblem('rosenbrock4', rosenbrock, cube(4, -5, 10), 0, fill(4, 1)),
  continuousProblem('ackley5', ackley, cube(5, -32.768, 32.768), 0, fill(5, 0)),
  continuousProblem('styblinski_tang8', styblinskiTang, cube(8, -5, 5), 8 * ST_1D_MIN, fill(8, ST_XSTAR)),
  continuousProblem('levy10', levy, cube(10, -10, 10), 0, fill(10, 1)),
]
