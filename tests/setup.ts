import { afterEach, beforeEach } from 'vitest';

// console.error in a test is a failure: errors must be handled, not printed.
let errors: unknown[][] = [];
const original = console.error;
beforeEach(() => {
  errors = [];
  console.error = (...args: unknown[]) => {
    errors.push(args);
    original(...args);
  };
});
afterEach(() => {
  console.error = original;
  if (errors.length) throw new Error(`console.error was called: ${String(errors[0]?.[0])}`);
});
