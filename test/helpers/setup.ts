// Vitest sets NODE_ENV=test, which the children inherit; under it oclif registers tsx and runs src/ instead of the
// built dist/. Tests must run the binary users run.
delete process.env.NODE_ENV
