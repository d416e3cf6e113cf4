import assert from 'node:assert/strict'
import { describe, test } from 'node:test'
import { ConfigError } from './config-error.ts'
import { parseStudyFile } from './load-study-file.ts'

/** A bad study file, and where / what its first error must say. */
interface BadCase {
  readonly name: string
  readonly yaml: string
  readonly at: string // "line:col path"
  readonly says: readonly string[] // fragments of the message: what is wrong, the value, the hint
}

const head = 'name: t\nmetric: {name: loss}\n'
const lr = '  lr: {type: float, low: 1.0e-5, high: 1.0e-3, log: true}\n'
const okCommand = 'command: [python, train.py, "--lr={lr}"]\n'

const cases: BadCase[] = [
  {
    name: 'unknown top-level key with a suggestion',
    yaml: `${head}${okCommand}space:\n${lr}schedular: median\n`,
    at: '6:1 schedular',
    says: ['is not a known key', 'Did you mean "scheduler"?'],
  },
  {
    name: 'direction typo',
    yaml: `name: t\nmetric: {name: loss, direction: minimise}\n${okCommand}space:\n${lr}`,
    at: '2:33 metric.direction',
    says: ['"minimise"', 'Did you mean "minimize"?'],
  },
  {
    name: 'low > high',
    yaml: `${head}${okCommand}space:\n  lr: {type: float, low: 0.1, high: 0.001}\n`,
    at: '5:26 space.lr.low',
    says: ['`low <= high`', 'low=0.1, high=0.001', 'Swap the bounds.'],
  },
  {
    name: 'log with low 0',
    yaml: `${head}${okCommand}space:\n  lr:\n    type: float\n    low: 0\n    high: 0.1\n    log: true\n`,
    at: '7:10 space.lr.low',
    says: ['`low > 0` for a log distribution', 'low=0', 'Raise low or set log: false.'],
  },
  {
    name: 'empty choices',
    yaml: `${head}command: [x]\nspace:\n  r: {type: categorical, choices: []}\n`,
    at: '5:35 space.r.choices',
    says: ['at least 1', 'empty', 'Add one.'],
  },
  {
    name: 'baseline value outside the range',
    yaml: `${head}${okCommand}space:\n${lr}baseline: {lr: 0.5}\n`,
    at: '6:16 baseline.lr',
    says: ['0.5 is outside float[0.00001, 0.001] log', 'Use a value between 0.00001 and 0.001.'],
  },
  {
    name: 'baseline key not in the space',
    yaml: `${head}${okCommand}space:\n${lr}baseline: {lr: 1.0e-4, l_r: 0.1}\n`,
    at: '6:24 baseline.l_r',
    says: ['is not a parameter of the space', 'Did you mean "lr"?'],
  },
  {
    name: 'baseline missing a parameter',
    yaml: `${head}${okCommand}space:\n${lr}  r: {type: int, low: 1, high: 8}\nbaseline: {lr: 1.0e-4}\n`,
    at: '7:1 baseline',
    says: ['is missing "r"', 'Give every active parameter a value'],
  },
  {
    name: 'command as a single string',
    yaml: `${head}command: python train.py --lr {lr}\nspace:\n${lr}`,
    at: '3:10 command',
    says: [
      'must be a list of arguments, not a string',
      'no shell',
      'Write command: ["python", "train.py", "--lr", "{lr}"]',
    ],
  },
  {
    name: 'unknown placeholder in the command',
    yaml: `${head}command: [python, train.py, "--lr={learning_rate}"]\nspace:\n${lr}`,
    at: '3:29 command[2]',
    says: ['uses {learning_rate}', 'no parameter "learning_rate" is declared', 'Declare "learning_rate" in space'],
  },
  {
    name: 'lone brace in the command',
    yaml: `${head}command: [python, "-c", "print({lr)"]\nspace:\n${lr}`,
    at: '3:25 command[2]',
    says: ['"{" not followed by a parameter name', 'or {{ for a literal brace'],
  },
  {
    name: 'bad duration',
    yaml: `${head}${okCommand}space:\n${lr}budget:\n  wall_time: 8 hours\n`,
    at: '7:14 budget.wall_time',
    says: ['is not a duration', '"8 hours"', 'Write it like 8h, 30m, 90s'],
  },
  {
    name: 'regex that does not compile',
    yaml: `${head}${okCommand}space:\n${lr}metrics_from:\n  stdout_pattern: "loss (?<loss>[0-9.]+"\n`,
    at: '7:19 metrics_from.stdout_pattern',
    says: ['is not a valid regular expression', 'Unterminated group', 'Fix the pattern'],
  },
  {
    name: 'step pattern without a step group',
    yaml: `${head}${okCommand}space:\n${lr}metrics_from:\n  step_pattern: "step (\\\\d+)"\n`,
    at: '7:17 metrics_from.step_pattern',
    says: ['has no (?<step>...) group', 'Write e.g.'],
  },
  {
    name: 'objective not captured when protocol is off',
    yaml: `${head}${okCommand}space:\n${lr}metrics_from:\n  protocol: false\n  stdout_pattern: "acc (?<acc>[0-9.]+)"\n`,
    at: '8:19 metrics_from.stdout_pattern',
    says: ['captures no group named "loss"', 'Add (?<loss>...)'],
  },
  {
    name: "Python's (?P<name>) group syntax",
    yaml: `${head}${okCommand}space:\n${lr}metrics_from: {stdout_pattern: "loss (?P<loss>[0-9.]+)"}\n`,
    at: '6:32 metrics_from.stdout_pattern',
    says: ["uses Python's (?P<name>...)", 'Write (?<name>...) instead'],
  },
  {
    name: 'when refers to an unknown parameter',
    yaml: `${head}${okCommand}space:\n${lr}  warmup: {type: int, low: 0, high: 9, when: {sched: cosine}}\n`,
    at: '6:47 space.warmup.when.sched',
    says: ['refers to "sched", which is not a parameter', 'Use one of "lr", "warmup"'],
  },
  {
    name: 'when cycle',
    yaml: `${head}command: [x]\nspace:\n  a: {type: categorical, choices: [1, 2], when: {b: 1}}\n  b: {type: categorical, choices: [1, 2], when: {a: 1}}\n`,
    at: '6:50 space.b.when.a',
    says: ['makes a cycle of conditions: a → b → a', 'Remove one of these when entries.'],
  },
  {
    name: 'when value that is not a legal choice',
    yaml: `${head}command: [x]\nspace:\n  opt: {type: categorical, choices: [adamw, sgd]}\n  momentum: {type: float, low: 0, high: 1, when: {opt: adam}}\n`,
    at: '6:56 space.momentum.when.opt',
    says: ['"adam" is never a value of "opt"', 'Use one of "adamw", "sgd"'],
  },
  {
    name: 'negative retries',
    yaml: `${head}${okCommand}space:\n${lr}retries: -1\n`,
    at: '6:10 retries',
    says: ['must be >= 0', 'got -1', 'Use a value >= 0.'],
  },
  {
    name: 'gpus_per_trial 0',
    yaml: `${head}${okCommand}space:\n${lr}resources: {gpus_per_trial: 0}\n`,
    at: '6:29 resources.gpus_per_trial',
    says: ['must be > 0', 'got 0', '0.5 to share a GPU'],
  },
  {
    name: 'both metric and metrics',
    yaml: `${head}metrics: [{name: acc, direction: maximize}]\n${okCommand}space:\n${lr}`,
    at: '3:1 metrics',
    says: ['is set together with metric', 'not both'],
  },
  {
    name: 'no metric at all',
    yaml: `name: t\n${okCommand}space:\n${lr}`,
    at: '1:1 metric',
    says: ['is required', 'Add metric: {name: eval_loss, direction: minimize}'],
  },
  {
    name: 'YAML syntax error',
    yaml: `${head}command: [python, train.py\nspace:\n${lr}`,
    at: '4:1 ',
    says: ['YAML syntax error', 'end with a ]'],
  },
  {
    name: 'a sampler option value Winnow does not implement (accepted, then ignored, before)',
    yaml: `${head}${okCommand}space:\n${lr}sampler: {type: cmaes, restart_strategy: bipop}\n`,
    at: '6:42 sampler.restart_strategy',
    says: ['must be one of "none", "ipop", but got "bipop"'],
  },
  {
    name: 'categorical choices a trial cannot tell apart on its command line',
    yaml: `${head}${okCommand}space:\n${lr}  r: {type: categorical, choices: [1, "1", true]}\n`,
    at: '6:39 space.r.choices[1]',
    says: ['"1" reaches the command as "1", as 1 does', 'Keep one of them.'],
  },
  {
    name: 'a condition on a continuous float',
    yaml: `${head}${okCommand}space:\n${lr}  wd: {type: float, low: 0, high: 0.1, when: {lr: [1.0e-4]}}\n`,
    at: '6:47 space.wd.when.lr',
    says: ['tests "lr", a continuous float', 'Condition on a categorical or integer parameter'],
  },
  {
    name: 'a parameter placeholder in env (passed as written)',
    yaml: `${head}${okCommand}space:\n${lr}env: {LR: "{lr}"}\n`,
    at: '6:11 env.LR',
    says: ['holds {lr}, but placeholders are filled only in command', 'WINNOW_PARAMS'],
  },
  {
    name: 'duplicate key',
    yaml: `${head}${okCommand}space:\n${lr}retries: 1\nretries: 2\n`,
    at: '7:1 ',
    says: ['YAML syntax error: the key retries appears twice in the same mapping', 'Remove one of the two.'],
  },
  {
    name: 'string where a number is wanted',
    yaml: `${head}command: [x]\nspace:\n  r: {type: int, low: 1, high: "64"}\n`,
    at: '5:32 space.r.high',
    says: ['must be a number', '"64" (a string)', 'Remove the quotes.'],
  },
  {
    name: 'unknown sampler type',
    yaml: `${head}${okCommand}space:\n${lr}sampler: tp\n`,
    at: '6:10 sampler',
    says: ['must be one of "auto"', 'got "tp"', 'Did you mean "tpe"?'],
  },
  {
    name: 'unknown sampler option',
    yaml: `${head}${okCommand}space:\n${lr}sampler: {type: tpe, n_startup_trial: 5}\n`,
    at: '6:22 sampler.n_startup_trial',
    says: ['is not a known key', 'Did you mean "n_startup_trials"?'],
  },
  {
    name: 'unknown key inside a parameter',
    yaml: `${head}command: [x]\nspace:\n  lr: {type: float, low: 0.1, high: 1, lg: true}\n`,
    at: '5:40 space.lr.lg',
    says: ['is not a known key', 'Did you mean "log"?'],
  },
  {
    name: 'parameter type typo',
    yaml: `${head}command: [x]\nspace:\n  lr: {type: flot, low: 0.1, high: 1}\n`,
    at: '5:14 space.lr.type',
    says: ['must be one of "float", "int", "categorical"', 'got "flot"', 'Did you mean "float"?'],
  },
  {
    name: 'parameter without a type',
    yaml: `${head}command: [x]\nspace:\n  lr: {low: 0.1, high: 1}\n`,
    at: '5:7 space.lr.type',
    says: ['is required, but it is missing', 'Use one of "float", "int", "categorical"'],
  },
  {
    name: 'int parameter with fractional bounds',
    yaml: `${head}command: [x]\nspace:\n  r: {type: int, low: 1.5, high: 8}\n`,
    at: '5:23 space.r.low',
    says: ['integer bounds', 'low=1.5', 'Use whole numbers or type float.'],
  },
  {
    name: 'study name with a space',
    yaml: `name: my study\nmetric: {name: loss}\ncommand: [x]\nspace:\n${lr}`,
    at: '1:7 name',
    says: ['must use letters, digits', '"my study"', 'Rename it'],
  },
  {
    name: 'asha without a resource range',
    yaml: `${head}${okCommand}space:\n${lr}scheduler: {type: asha, resource: steps}\n`,
    at: '6:35 scheduler.resource',
    says: ['asha needs a resource range', 'Add resource: {kind: steps, min: 100, max: 2000}'],
  },
  {
    name: 'resource kind typo',
    yaml: `${head}${okCommand}space:\n${lr}scheduler: {type: asha, resource: {kind: step, min: 1, max: 9}}\n`,
    at: '6:42 scheduler.resource.kind',
    says: ['got "step"', 'Did you mean "steps"?'],
  },
  {
    name: 'fidelity levels not increasing',
    yaml: `${head}${okCommand}space:\n${lr}fidelity: {data_fraction: [0.3, 0.1, 1.0]}\n`,
    at: '6:33 fidelity.data_fraction[1]',
    says: ['must be larger than the previous level 0.3', 'increasing order'],
  },
  {
    name: 'number inside the command list',
    yaml: `${head}command: [python, train.py, --epochs, 3]\nspace:\n${lr}`,
    at: '3:39 command[3]',
    says: ['must be a string, but got 3', 'Quote it: "3".'],
  },
  {
    name: 'reserved env variable',
    yaml: `${head}${okCommand}space:\n${lr}env: {WINNOW_PARAMS: x}\n`,
    at: '6:7 env.WINNOW_PARAMS',
    says: ['is reserved for the trial protocol', 'Use another name.'],
  },
]

describe('bad study files give one located line per problem', () => {
  test('there are at least 20 distinct cases', () => {
    assert.ok(cases.length >= 20, `only ${cases.length} cases`)
    assert.equal(new Set(cases.map((c) => c.name)).size, cases.length)
  })
  for (const c of cases) {
    test(c.name, () => {
      let error: unknown
      try {
        parseStudyFile(c.yaml, 'study.yaml')
      } catch (e) {
        error = e
      }
      assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`)
      assert.equal(error.code, 'invalid_config')
      const first = error.message.split('\n')[0]
      assert.equal(error.message.split('\n').length, error.issues.length, 'one line per issue')
      const [pos, ...rest] = c.at.split(' ')
      const path = rest.join(' ')
      assert.ok(first.startsWith(`study.yaml:${pos} ${path === '' ? '' : `${path}: `}`), `got: ${first}`)
      for (const fragment of c.says) assert.ok(first.includes(fragment), `"${fragment}" missing from: ${first}`)
      const [line, column] = pos.split(':').map(Number)
      assert.deepEqual({ line: error.issues[0].line, column: error.issues[0].column }, { line, column })
      assert.equal(error.issues[0].path, path)
    })
  }
})

describe('several problems are all reported', () => {
  test('each problem gets its own line, in file order', () => {
    const yaml = `name: t\nmetric: {name: loss, direction: up}\ncommand: [x]\nspace:\n  r: {type: int, low: 1, high: 8}\nretries: -2\nschedular: asha\n`
    assert.throws(
      () => parseStudyFile(yaml, 'study.yaml'),
      (e: ConfigError) => {
        const lines = e.message.split('\n')
        assert.equal(lines.length, 3)
        assert.match(lines[0], /^study\.yaml:2:33 metric\.direction: /)
        assert.match(lines[1], /^study\.yaml:6:10 retries: /)
        assert.match(lines[2], /^study\.yaml:7:1 schedular: .*Did you mean "scheduler"\?/)
        return true
      },
    )
  })
})
