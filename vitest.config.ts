import { defineConfig } from 'vitest/config';

// Three projects: `unit` runs TypeScript sources with no hosts; `lab` needs root and starts the
// real lab (sshd behind a bastion, systemd nodes) once; `e2e` drives the bundle in tmux.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'unit',
          setupFiles: ['test/helpers/no-ci.ts'],
          include: ['test/source/**/*.test.ts', 'test/screens/**/*.test.tsx', 'test/hooks/**/*.test.{ts,tsx}', 'test/bin/**/*.test.ts'],
          testTimeout: 10_000,
        },
      },
      {
        test: {
          name: 'lab',
          include: ['test/lab/**/*.lab.test.ts'],
          globalSetup: ['test/lab/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['test/e2e/**/*.test.ts'],
          testTimeout: 60_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
