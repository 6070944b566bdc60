export { createDemoApi, demoError, errorReply, PUBLIC_PATHS } from './demo-api';
export type { DemoApi, DemoErrorCode, DemoLogger, DemoReply } from './demo-api';
export {
  createDemoServices,
  formatBanner,
  listen,
  loadSharedSettings,
  readListenSettings,
  runDemo,
  urlOf,
} from './start';
export type {
  DemoContext,
  DemoServices,
  DemoServicesOptions,
  ListenSettings,
  RunDemoOptions,
  RunningDemo,
  SharedSettings,
} from './start';
export { DEMO_USERS, findUser, hashPassword, verifyPassword } from './users';
export type { DemoUser } from './users';
