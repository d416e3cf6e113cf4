import assert from 'node:assert/strict'
import { test } from 'node:test'
import { fixtureTrial } from '../core/schedulers/scheduler-fixtures.ts'
import type { StudyInfo } from '../core/storage.ts'
import type { StudyId } from '../core/trial/frozen-trial.ts'
import { renderStudyListFragment } from './html/study-list-page.ts'
import { digestStudy } from './study-digest.ts'

const info: StudyInfo = {
  id: 1 as StudyId,
  name: 's',
  directions: ['minimize'],
  metricNames: ['loss'],
  userAttrs: {},
  systemAttrs: {},
  createdAt: 0,
}

test('a baseline that broke a constraint is flagged beside the gain over it (dashboard)', () => {
  const baseline = fixtureTrial({
    number: 0,
    state: 'COMPLETE',
    value: 2,
    systemAttrs: { baseline: true, constraints: [6], infeasibleReason: 'infeasible: mem 46 > max 40' },
  })
  const best = fixtureTrial({ number: 1, state: 'COMPLETE', value: 1, systemAttrs: { constraints: [-1] } })
  const d = digestStudy(info, [baseline, best], 1)
  assert.equal(d.gain, 0.5)
  assert.match(d.baselineCaveat ?? '', /The baseline #0 breaks a constraint \(mem 46 > max 40\)/)
  assert.match(renderStudyListFragment('sqlite:x.db', [d]), /\+50\.0 % \(infeasible baseline\)/)
  const fine = digestStudy(info, [{ ...baseline, systemAttrs: { baseline: true } }, best], 1)
  assert.equal(fine.baselineCaveat, null)
})
