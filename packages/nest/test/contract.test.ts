import 'reflect-metadata';
import { Controller, Get } from '@nestjs/common';
import type { TokenClaims } from '@securetoken/core';
import { ALL_OF, ANY_OF, runContractSuite, sendHttp } from '@securetoken/testkit';
import { Auth, RequireAnyPermission, RequirePermissions, SecureTokenModule } from '../src/index';
import { PLATFORMS, startApp } from './harness';

@Controller()
class ContractController {
  @Get('me')
  me(@Auth() auth: TokenClaims | undefined) {
    return { userId: auth?.userId ?? null, permissions: auth?.permissions ?? [] };
  }

  @RequirePermissions(...ALL_OF)
  @Get('all')
  all(@Auth('userId') userId: string) {
    return { userId };
  }

  @RequireAnyPermission(...ANY_OF)
  @Get('any')
  any(@Auth('userId') userId: string) {
    return { userId };
  }

  // Left unmarked on purpose: the suite checks that `exclude` alone lets it through.
  @Get('health')
  health() {
    return { status: 'ok' };
  }
}

for (const platform of PLATFORMS) {
  runContractSuite(`nest (${platform})`, async ({ getToken, ...options }) => {
    const { url, close } = await startApp(platform, {
      imports: [
        SecureTokenModule.forRoot({
          ...options,
          ...(getToken && { getToken: (req) => getToken(req.headers as Parameters<typeof getToken>[0]) }),
          globalGuard: true,
        }),
      ],
      controllers: [ContractController],
    });
    return { send: (request) => sendHttp(url, request), close };
  });
}
