/**
 * Raised for a target or window the engine cannot evaluate ("99.99.9", "0d"). The engine has no
 * file positions; config validation catches it and reports file:line:col (InputError).
 */
export class BudgetInputError extends Error {
  override readonly name = 'BudgetInputError';

  static is(e: unknown): e is BudgetInputError {
    return e instanceof BudgetInputError;
  }
}
