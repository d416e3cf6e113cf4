import { WinnowError } from '../errors.ts'
import { describeValue } from '../option-names.ts'

/**
 * Checks that a scheduler option is an integer within bounds and returns it; throws a WinnowError
 * ('invalid_config') naming the scheduler, the option and the value otherwise.
 */
export function checkInt(
  owner: string,
  option: string,
  value: number,
  min: number,
  max = Number.POSITIVE_INFINITY,
): number {
  if (!Number.isInteger(value) || value < min || value > max) {
    const range = max === Number.POSITIVE_INFINITY ? `>= ${min}` : `in [${min}, ${max}]`
    throw new WinnowError(
      'invalid_config',
      `${owner} option ${option} must be an integer ${range}, but got ${describeValue(value)}. Pass a whole number such as ${min}.`,
    )
  }
  return value
}

/**
 * Checks that a scheduler option is a finite number within bounds (`open` excludes the bounds) and returns it;
 * throws a WinnowError ('invalid_config') naming the scheduler, the option and the value otherwise.
 */
export function checkNumber(
  owner: string,
  option: string,
  value: number,
  bounds: { min?: number; max?: number; open?: boolean } = {},
): number {
  const { min = Number.NEGATIVE_INFINITY, max = Number.POSITIVE_INFINITY, open = false } = bounds
  const ok =
    typeof value === 'number' &&
    !Number.isNaN(value) &&
    (open ? value > min && value < max : value >= min && value <= max)
  if (!ok) {
    const lo = min === Number.NEGATIVE_INFINITY ? '' : `${open ? '>' : '>='} ${min}`
    const hi = max === Number.POSITIVE_INFINITY ? '' : `${open ? '<' : '<='} ${max}`
    const range = [lo, hi].filter((s) => s !== '').join(' and ')
    throw new WinnowError(
      'invalid_config',
      `${owner} option ${option} must be a number${range === '' ? '' : ` ${range}`}, but got ${describeValue(value)}. Check the scheduler settings.`,
    )
  }
  return value
}

/** Throws a WinnowError ('invalid_config') naming the scheduler and option when `ok` is false. */
export function checkThat(ok: boolean, owner: string, option: string, message: string): void {
  if (!ok) throw new WinnowError('invalid_config', `${owner} option ${option} ${message}`)
}
