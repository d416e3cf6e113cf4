/**
 * A benchmark worker process: receives run tasks over IPC, answers with records. Started by main.ts with
 * `--jobs N` so runs use several cores.
 */
import { getProblem, loadProblemModule, problems } from '../problems/index.ts'
import { parseSamplerSpec } from './registry.ts'
import { runOne } from './run-one.ts'

/** A unit of work sent to a worker. */
export interface RunTask {
  problem: string
  sampler: string
  seed: number
  budget: number
  batch: number
  problemModule?: string
}

const modules = new Map<string, Awaited<ReturnType<typeof loadProblemModule>>>()

process.on('message', async (task: RunTask) => {
  try {
    let from = problems
    if (task.problemModule) {
      if (!modules.has(task.problemModule)) modules.set(task.problemModule, await loadProblemModule(task.problemModule))
      from = { ...problems, ...modules.get(task.problemModule)! }
    }
    const rec = await runOne(
      getProblem(task.problem, from),
      parseSamplerSpec(task.sampler),
      task.seed,
      task.budget,
      task.batch,
    )
    process.send!({ ok: true, rec })
  } catch (e) {
    process.send!({ ok: false, task, error: String((e as Error).stack ?? e) })
  }
})
process.send!({ ready: true })
