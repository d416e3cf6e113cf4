import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { RungLadder } from './rung-ladder.ts'
import { fixtureContext, fixtureTrial } from './scheduler-fixtures.ts'
import { SuccessiveHalvingScheduler } from './successive-halving-scheduler.ts'

// Rung 0 at step 10, rung 1 at step 40 (η 4, max 160). Trial i went from x_i at rung 0 to 2·x_i + e_i at rung 1,
// with residuals e orthogonal to x: slope exactly 2, residual sum of squares 8, s = sqrt(8 / 6).
const xs = [1, 2, 3, 4, 5, 6, 7, 8]
const es = [1, -1, -1, 1, 1, -1, -1, 1]
const pairs = xs.map((x, i) =>
  fixtureTrial({
    number: i,
    curve: [
      [10, x],
      [40, 2 * x + es[i]],
    ],
  }),
)
const ladder = new RungLadder([10, 40], 160, 4)

describe('RungLadder.noiseMargin', () => {
  test('z · residual sd / slope of next-level on rung values (hand-computed)', () => {
    const s = Math.sqrt(8 / 6)
    assert.ok(Math.abs(ladder.noiseMargin(pairs, 0, 1) - s / 2) < 1e-12)
    assert.ok(Math.abs(ladder.noiseMargin(pairs, 0, 2.5) - (2.5 * s) / 2) < 1e-12)
  })

  test('0 when off or with fewer than 8 trials at both levels', () => {
    assert.equal(ladder.noiseMargin(pairs, 0, 0), 0)
    assert.equal(ladder.noiseMargin(pairs.slice(0, 7), 0, 1), 0)
    assert.equal(ladder.noiseMargin(pairs, 1, 1), 0, 'nobody reached full fidelity after rung 1')
  })

  test('a rung that does not predict the next is trusted little: the slope counts as at least 0.1', () => {
    const flatNext = xs.map((x, i) =>
      fixtureTrial({
        number: i,
        curve: [
          [10, x],
          [40, 5 + es[i]],
        ],
      }),
    )
    assert.ok(Math.abs(ladder.noiseMargin(flatNext, 0, 1) - Math.sqrt(8 / 6) / 0.1) < 1e-9)
  })
})

describe('SuccessiveHalvingScheduler with confidence', () => {
  // Eight earlier trials at rungs 0 and 1 (values 1..8 at rung 0); the cut at rung 0 with 9 trials is the 2nd best.
  const resource = { kind: 'steps' as const, min: 10, max: 160, reductionFactor: 4 }
  const newcomer = (value: number) => fixtureTrial({ number: 20, curve: [[10, value]] })
  const decide = (confidence: number, value: number) => {
    const t = newcomer(value)
    return new SuccessiveHalvingScheduler({ resource, confidence }).decide(fixtureContext([...pairs, t]), t)
  }

  test('plain ASHA cuts a trial just below the top 1/η; within the margin it survives, beyond it it is cut', () => {
    const margin = Math.sqrt(8 / 6) / 2 // ≈ 0.577; the cut value is 2 (second of 1..8 and the newcomer)
    assert.equal(decide(0, 2.3).action, 'prune')
    assert.equal(decide(1, 2 + margin - 0.01).action, 'continue')
    const far = decide(1, 2 + margin + 0.01)
    assert.equal(far.action, 'prune')
    assert.match(
      far.action === 'prune' ? far.reason : '',
      /^not in the top 2 of 9 trials at rung 0 \(10\), and behind the cut by more than the rung's noise margin 0\.577$/,
    )
  })

  test('a negative confidence is a clear error', () => {
    assert.throws(() => new SuccessiveHalvingScheduler({ resource, confidence: -1 }), /confidence/)
  })
})
