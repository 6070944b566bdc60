export { ALL_OF, ANY_OF, TENANT_HEADER, TOKEN_COOKIE, runContractSuite } from './contract-suite';
export type { ContractAppOptions, ContractHarness, ContractRequest } from './contract-suite';
export { runDemoFlow } from './demo-flow';
export type { DemoFlowOptions } from './demo-flow';
export { expectError } from './assertions';
export {
  createFailingStore,
  createPythonFixtureManager,
  createTestManager,
  loadPythonFixtures,
  TEST_NOW,
  TEST_SALT,
  TEST_SECRET_KEY,
} from './fixtures';
export type { PythonFixtures, PythonFixtureToken, TestManagerOptions } from './fixtures';
export { readCookie, sendHttp, serveHttp, toTestResponse } from './http-client';
export type { TestApp, TestRequest, TestResponse } from './http-client';
export { freePort, runDemoProcess, runDemoProcessSuite, startDemoProcess } from './demo-process';
export type { DemoExit, DemoProcess, DemoProcessOptions, DemoProcessSuiteOptions } from './demo-process';
export { runDemoAppSuite } from './demo-app-suite';
export type { DemoAppHarness, DemoAppLogger } from './demo-app-suite';
