export { createDemoApi, demoError, errorReply, PUBLIC_PATHS } from './demo-api';
export type { DemoApi, DemoErrorCode, DemoReply } from './demo-api';
export { createDemoServices, formatBanner, listen, readListenSettings, runDemo, urlOf } from './start';
export type { DemoContext, DemoServices, ListenSettings, RunningDemo } from './start';
export { DEMO_USERS, findUser, hashPassword, verifyPassword } from './users';
export type { DemoUser } from './users';
