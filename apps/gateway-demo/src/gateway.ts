import { buildGateway, type ServiceName } from './gateway-app';
import { runProcess } from './run-process';

/** A service's base URL from the environment, with a loopback default for local runs. */
function serviceUrl(name: string, fallback: string): string {
  const value = process.env[name]?.trim() || fallback;
  try {
    return new URL(value).origin;
  } catch {
    throw new Error(`${name} must be an absolute URL`);
  }
}

await runProcess(
  'gateway',
  3000,
  (manager, logger) => {
    const services: Record<ServiceName, string> = {
      'user-service': serviceUrl('USER_SERVICE_URL', 'http://127.0.0.1:3001'),
      'payment-service': serviceUrl('PAYMENT_SERVICE_URL', 'http://127.0.0.1:3002'),
    };
    return buildGateway({ manager, services, logger });
  },
  (url) => [
    'TOKEN=$(pnpm --silent token alice user:read payment:create)',
    `curl -s ${url}/api/users/me -H "authorization: Bearer $TOKEN"`,
  ],
);
