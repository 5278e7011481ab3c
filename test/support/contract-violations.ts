// Contract violations found in JSON responses (validating-fetch.ts), and the check tests call to see them.
//
// A violation in a JSON response is thrown from inside `fetch`. The SDKs wrap anything thrown by fetch in
// `APIConnectionError` ("Connection error.") with our error as `.cause` (vitest prints the cause), so the
// SDK call fails loudly. Every violation is also recorded in `contractViolations`, because a test that
// expects *some* rejection (`rejects.toThrow()`) would otherwise swallow it.

export const contractViolations: string[] = [];

export class ContractViolationError extends Error {
  override name = 'ContractViolationError';
}

/** Record a violation of the response `label` and return the error for fetch to throw. */
export function violation(label: string, problems: string[]): ContractViolationError {
  const message = `contract violation in ${label}:\n  - ${problems.join('\n  - ')}`;
  contractViolations.push(message);
  return new ContractViolationError(message);
}

/** Throw if any JSON response violated the contract since the last call (then clear the list). */
export function expectNoContractViolations(): void {
  const errors = contractViolations.splice(0);
  if (errors.length) throw new ContractViolationError(errors.join('\n'));
}
