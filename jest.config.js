/** Two projects: `unit` (pure logic, beside the code) and `e2e` (real servers over TCP). */
const transform = {
  '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }],
};
const moduleNameMapper = {
  '^nestjs-reliable-kafka$': '<rootDir>/libs/reliable-kafka/src/index.ts',
  '^@nrk/embedded-broker$': '<rootDir>/libs/embedded-broker/src/index.ts',
};
const common = { rootDir: __dirname, testEnvironment: 'node', transform, moduleNameMapper };

module.exports = {
  testTimeout: 60000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      // test/**/*.spec.ts: pure checks of test material (e.g. the conformance table against its doc).
      testMatch: ['<rootDir>/libs/**/*.spec.ts', '<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'],
    },
    { ...common, displayName: 'e2e', testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'] },
  ],
};
