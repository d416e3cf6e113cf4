import assert from 'node:assert/strict'
import { test } from 'node:test'
import type { StudyInfo } from '../core/storage.ts'
import type { FrozenTrial, StudyId, TrialId } from '../core/trial/frozen-trial.ts'
import { buildReportData } from './build-report-data.ts'
import { escapeHtml, escapeMarkdown } from './escape.ts'
import { renderReportHtml } from './html-shell.ts'
import { renderReportMarkdown } from './markdown.ts'
import type { Reproducibility } from './report-data.ts'
import { niceTicks } from './svg/scale.ts'
import { reportStem } from './write-report.ts'

const repro: Reproducibility = {
  winnowVersion: '0.0.0',
  seeds: [],
  host: { hostname: 'h', cpu: 'c', cpus: 1, node: 'v20', platform: 'linux' },
  hashes: [],
}

function info(name: string, systemAttrs: StudyInfo['systemAttrs'] = {}): StudyInfo {
  return {
    id: 1 as StudyId,
    name,
    directions: ['minimize'],
    metricNames: ['loss'],
    userAttrs: {},
    systemAttrs,
    createdAt: 0,
  }
}

function trial(number: number, x: number, value: number | null, extra: Partial<FrozenTrial> = {}): FrozenTrial {
  return {
    id: number as TrialId,
    studyId: 1 as StudyId,
    number,
    state: value === null ? 'PRUNED' : 'COMPLETE',
    params: { x, mode: number % 2 === 0 ? 'a' : 'b' },
    distributions: {
      x: { kind: 'float', low: 0, high: 10, log: false },
      mode: { kind: 'categorical', choices: ['a', 'b'] },
    },
    values: value === null ? null : [value],
    intermediate: [
      { step: 1, value: (value ?? 9) + 1 },
      { step: 2, value: value ?? 9 },
    ],
    userAttrs: {},
    systemAttrs: {},
    createdAt: 0,
    startedAt: 0,
    finishedAt: 1,
    heartbeatAt: null,
    version: 1,
    ...extra,
  }
}

test('escaping leaves no markup in HTML or Markdown', () => {
  assert.equal(escapeHtml(`<a href="x">'&'</a>`), '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;')
  assert.equal(escapeMarkdown('a|b <i>*c*</i>\nd'), 'a\\|b &lt;i&gt;\\*c\\*&lt;/i&gt; d')
  assert.equal(escapeMarkdown('say "hi" it\'s'), 'say "hi" it\'s', 'quotes stay readable in Markdown text')
})

test('report file names cannot leave the output folder', () => {
  assert.equal(reportStem('../../etc/passwd'), '__.._etc_passwd')
  assert.equal(reportStem('<script>'), '_script_')
  assert.equal(reportStem(''), 'study')
})

test('an empty study renders every section with notes instead of charts', () => {
  const data = buildReportData(info('empty'), [], repro, new Date(0))
  const html = renderReportHtml(data)
  for (const id of [
    'setup',
    'baseline-vs-best',
    'history',
    'curves',
    'importance',
    'sensitivity',
    'rank-transfer',
    'compute',
    'reproducibility',
  ])
    assert.ok(html.includes(`<section id="${id}">`), id)
  assert.match(html, /No trial has completed yet/)
  assert.match(html, /no importance to rank/)
  assert.match(renderReportMarkdown(data), /No trial has completed yet/)
})

test('with no completed trial, the note says so and what became of the baseline, in whole sentences', () => {
  const failed = trial(0, 5, null, { state: 'FAIL', systemAttrs: { baseline: true } })
  const html = renderReportHtml(buildReportData(info('broken'), [failed, trial(1, 3, null)], repro, new Date(0)))
  assert.match(html, /<p class="note">No trial has completed yet\. The baseline #0 is FAIL\.<\/p>/)
})

test('baseline vs best, gain, slices and importance come from the trials', () => {
  const trials = [
    trial(0, 5, 4, { systemAttrs: { baseline: true, metrics: { loss: 4, accuracy: 0.5 } } }),
    ...Array.from({ length: 11 }, (_, i) => trial(i + 1, i % 10, i === 10 ? null : Math.abs((i % 10) - 2) + 1)),
  ]
  trials[3] = { ...trials[3], systemAttrs: { metrics: { loss: 1, accuracy: 0.75 } } }
  const data = buildReportData(info('s', { resource: { kind: 'steps', min: 1, max: 2 } }), trials, repro, new Date(0))
  assert.equal(data.baseline?.number, 0)
  assert.equal(data.best[0].number, 3)
  assert.deepEqual(
    data.comparison.map((r) => [r.metric, r.baseline, r.best, r.gain ?? r.change]),
    [
      ['loss', 4, 1, 0.75],
      ['accuracy', 0.5, 0.75, 0.25],
    ],
  )
  assert.equal(data.importance.entries[0].param, 'x', 'x drives the loss, mode does not')
  assert.equal(data.sensitivity.params[0].name, 'x')
  assert.equal(data.rankTransfer?.pairs.length, 12)
  // The rung view: every trial reported at step 1 and step 2 (the one PRUNED trial too, at its last report).
  assert.deepEqual(
    data.rungs?.map((r) => [r.level, r.reached, r.wentOn, r.prunedHere, r.best]),
    [
      [1, 12, 12, 0, 2],
      [2, 12, 0, 0, 1],
    ],
  )
  const html = renderReportHtml(data)
  assert.match(html, /<section id="rungs"><h2>Rungs<\/h2>/)
  // Parallel coordinates: one line per COMPLETE trial (11 of 12; one was pruned), linked from the navigation.
  assert.equal(data.parallel?.lines.length, 11)
  assert.equal([...html.matchAll(/<path class="ln pc /g)].length, 11)
  assert.match(html, /<a href="#parallel">Parallel coordinates<\/a>/)
  const md = renderReportMarkdown(data)
  assert.match(md, /## Rungs\n\n\| steps \| reached \| went on/)
  assert.match(md, /\| loss \(objective, minimize\) \| 4 \| 1 \| \+75\.0 % \|/)
})

test('ticks are round numbers inside the range', () => {
  assert.deepEqual(niceTicks(0.65, 12.35), [2, 4, 6, 8, 10, 12])
  assert.deepEqual(niceTicks(1, 3), [1, 1.5, 2, 2.5, 3])
})

test('a two-objective study gets a Pareto section: the front, its hypervolume and a scatter', () => {
  const values = [
    [1, 4],
    [2, 2],
    [4, 1],
    [3, 3],
  ]
  const trials = values.map((v, i) => trial(i, i, 0, { values: v }))
  const data = buildReportData(
    { ...info('mo'), directions: ['minimize', 'minimize'], metricNames: ['loss', 'gpu_hours'] },
    trials,
    repro,
    new Date(0),
  )
  assert.deepEqual(
    data.pareto?.points.map((p) => [p.number, p.front]),
    [
      [0, true],
      [1, true],
      [2, true],
      [3, false],
    ],
  )
  // Reference: worst value 4 plus a tenth of the range 3 = 4.3 per objective; staircase area 0.3 + 4.6 + 0.99.
  assert.deepEqual(data.pareto?.reference, [4.3, 4.3])
  assert.ok(Math.abs((data.pareto?.hypervolume ?? 0) - 5.89) < 1e-9, String(data.pareto?.hypervolume))
  const html = renderReportHtml(data)
  assert.match(html, /<section id="pareto"><h2>Pareto front<\/h2><p>3 of 4 complete trials are on the front/)
  // Several objectives: no parallel coordinates, and no navigation link to a section that is not there.
  assert.equal(data.parallel, undefined)
  assert.ok(!html.includes('href="#parallel"'))
  assert.match(html, /<a href="#pareto">Pareto front<\/a>/)
  assert.match(html, /#3: loss 3, gpu_hours 3<\/title>/)
  assert.match(
    renderReportMarkdown(data),
    /## Pareto front\n\n3 of 4 complete trials are on the front; hypervolume 5\.89/,
  )
  assert.equal(buildReportData(info('single'), trials, repro, new Date(0)).pareto, undefined)
})

test('a space narrowed between runs shows the latest range and the earlier ones with the trial they began at', () => {
  const narrowed = { kind: 'float', low: 2, high: 4, log: false } as const
  const trials = [
    trial(0, 5, 3),
    trial(1, 7, 2),
    trial(2, 3, 1, { distributions: { ...trial(2, 3, 1).distributions, x: narrowed } }),
  ]
  const data = buildReportData(info('s'), trials, repro, new Date(0))
  assert.deepEqual(
    data.space.map((r) => [r.name, r.range]),
    [
      ['x', '[2, 4] from #2 (before: [0, 10] from #0)'],
      ['mode', '{"a", "b"}'],
    ],
  )
  assert.match(renderReportHtml(data), /\[2, 4\] from #2 \(before: \[0, 10\] from #0\)/)
})

test('the lineage of a focused, narrowed study: focus links, in-place narrowings and earlier study files, escaped', () => {
  const attrs = {
    focusedFrom: 'parent<b>',
    focus: { method: 'fanova', quantile: 0.2, narrowed: [{ param: 'x' }], fixed: { mode: 'a' } },
    focusedInto: ['child'],
    focusedInPlace: [{ afterTrials: 2, narrowed: [{ param: 'x' }], fixed: {}, backup: 's.before-focus-1.yaml' }],
    earlierStudyFiles: [
      { sha256: 'aaaaaaaaaaaaaaaa', text: 'name: s # first <script>', untilTrial: 2 },
      { sha256: 'bbbbbbbbbbbbbbbb', text: 'name: s # second', untilTrial: 3 },
    ],
  }
  const data = buildReportData(info('s', attrs), [trial(0, 5, 3), trial(1, 7, 2), trial(2, 3, 1)], repro, new Date(0))
  assert.deepEqual(
    data.setup.lineage?.steps.map((s) => s.summary),
    ['focused from "parent<b>"', 'follow-up "child"', 'narrowed in place after 2 trials (kept x)'],
  )
  const html = renderReportHtml(data)
  assert.match(
    html,
    /<li>focused from &quot;parent&lt;b&gt;&quot; — fanova, ranges from the best 20 % of trials; kept x; fixed mode=&quot;a&quot;<\/li>/,
  )
  assert.match(
    html,
    /<summary>Study file of trials #0–#1 \(SHA-256 aaaaaaaaaaaa…\)<\/summary><pre class="file">name: s # first &lt;script&gt;<\/pre>/,
  )
  assert.match(html, /<summary>Study file of trial #2 \(SHA-256 bbbbbbbbbbbb…\)<\/summary>/)
  const md = renderReportMarkdown(data)
  assert.match(md, /### History\n\n- focused from "parent&lt;b&gt;"/)
  assert.match(md, /<summary>Study file of trials #0–#1 \(SHA-256 aaaaaaaaaaaa…\)<\/summary>/)
  assert.match(
    md,
    /- narrowed in place after 2 trials \(kept x\) — kept x; previous file kept as s\.before-focus-1\.yaml/,
  )
  assert.equal(buildReportData(info('plain'), [trial(0, 5, 3)], repro, new Date(0)).setup.lineage, undefined)
})
