import { randomUUID } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildService, serviceClaims, type ServiceOptions } from './services';

interface Payment {
  readonly id: string;
  readonly userId: string;
  readonly amount: number;
  readonly currency: string;
  readonly createdAt: string;
}

const paymentBody = {
  type: 'object',
  required: ['amount', 'currency'],
  additionalProperties: false,
  properties: {
    amount: { type: 'number', exclusiveMinimum: 0, maximum: 1_000_000 },
    currency: { type: 'string', pattern: '^[A-Z]{3}$' },
  },
} as const;

/** `payment-service`: payments of the calling user, for gateway-issued service tokens. */
export async function buildPaymentService(options: ServiceOptions & { now?: () => number }): Promise<FastifyInstance> {
  const app = await buildService('payment-service', options);
  const now = options.now ?? Date.now;
  const payments: Payment[] = [];

  app.get('/payments', { config: { permissions: ['payment:read'] } }, async (request) => {
    const { userId } = serviceClaims(request);
    return { payments: payments.filter((payment) => payment.userId === userId) };
  });

  app.post<{ Body: { amount: number; currency: string } }>(
    '/payments',
    { config: { permissions: ['payment:create'] }, schema: { body: paymentBody } },
    async (request, reply) => {
      const claims = serviceClaims(request);
      const payment: Payment = {
        id: randomUUID(),
        userId: claims.userId,
        amount: request.body.amount,
        currency: request.body.currency,
        createdAt: new Date(now()).toISOString(),
      };
      payments.push(payment);
      return reply.code(201).send({ ...payment, via: claims.service.issuer });
    },
  );

  return app;
}
