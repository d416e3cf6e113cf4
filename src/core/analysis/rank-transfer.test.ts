import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { fixtureTrial } from '../schedulers/scheduler-fixtures.ts'
import { rankTransfer, rankTransferBetween, rankTransferToHighest } from './rank-transfer.ts'

describe('rankTransfer', () => {
  test('hand-computed correlations: one swap at each end of 8', () => {
    const r = rankTransfer([1, 2, 3, 4, 5, 6, 7, 8], [2, 1, 3, 4, 5, 6, 8, 7])
    assert.equal(r.n, 8)
    assert.ok(Math.abs(r.spearman - (1 - (6 * 4) / (8 * 63))) < 1e-12) // 0.952
    assert.ok(Math.abs(r.kendall - 24 / 28) < 1e-12) // 26 concordant, 2 discordant
    assert.equal(r.verdict, 'reliable')
    assert.match(r.message, /reliable for this study \(n = 8, Spearman 0.95, Kendall 0.86\)/)
  })

  test('reversed ranking is unreliable; few pairs are not enough', () => {
    const rev = rankTransfer([1, 2, 3, 4, 5, 6, 7, 8], [8, 7, 6, 5, 4, 3, 2, 1])
    assert.equal(rev.spearman, -1)
    assert.equal(rev.verdict, 'unreliable')
    assert.equal(rankTransfer([1, 2, 3], [1, 2, 3]).verdict, 'not_enough_data')
    assert.equal(rankTransfer(Array(8).fill(1), [1, 2, 3, 4, 5, 6, 7, 8]).verdict, 'not_enough_data')
  })

  test('from trials: rung value vs final value', () => {
    const trials = Array.from({ length: 8 }, (_, i) =>
      fixtureTrial({
        number: i,
        state: 'COMPLETE',
        curve: [
          [10, 2 + i],
          [100, 1 + i],
        ],
        value: 1 + i,
      }),
    )
    trials.push(fixtureTrial({ number: 8, state: 'PRUNED', curve: [[10, 0]] }))
    const r = rankTransferBetween(trials, 10)
    assert.equal(r.n, 8)
    assert.equal(r.spearman, 1)
    assert.equal(rankTransferBetween(trials, 10, 100).n, 8)
  })

  test('judged against the highest fidelity enough trials reached, else the full one', () => {
    // 9 trials report at 10 and 50 (the ranking flips for the last two); only 3 go on to 100.
    const trials = Array.from({ length: 9 }, (_, i) => {
      const at50 = i < 7 ? 1 + i : 16 - i
      const curve: [number, number][] = [
        [10, 2 + i],
        [50, at50],
      ]
      if (i < 3) curve.push([100, at50 - 0.5])
      return fixtureTrial({ number: i, state: i < 3 ? 'COMPLETE' : 'PRUNED', curve, value: at50 - 0.5 })
    })
    const judged = rankTransferToHighest(trials, 10, 100)
    assert.equal(judged.high, 50, '100 has only 3 trials: not enough')
    assert.equal(judged.result.n, 9)
    assert.deepEqual(judged.result, rankTransferBetween(trials, 10, 50))
    const none = rankTransferToHighest(trials.slice(0, 3), 10, 100)
    assert.equal(none.high, 100)
    assert.equal(none.result.verdict, 'not_enough_data')
  })
})
