import { Body, Controller, Get, HttpCode, Inject, Post, Req, Res } from '@nestjs/common';
import type { AuthRequest, TokenClaims } from '@securetoken/core';
import type { DemoApi, DemoReply } from '@securetoken/demo-shared';
import { Auth, Public, RequirePermissions } from '@securetoken/nest';

/** Injection token of the framework-free demo API. */
export const DEMO_API = Symbol('DEMO_API');

/** The part of the platform response a handler needs to set a status chosen at run time. */
interface StatusTarget {
  status(code: number): unknown;
}

function send(res: StatusTarget, reply: DemoReply): object {
  res.status(reply.status);
  return reply.body;
}

/** The demo API's routes; the global SecureTokenGuard protects all but the @Public() ones. */
@Controller()
export class DemoController {
  constructor(@Inject(DEMO_API) private readonly api: DemoApi) {}

  @Public()
  @Get('health')
  health(): object {
    return this.api.health().body;
  }

  @Public()
  @Post('api/login')
  async login(@Body() body: unknown, @Res({ passthrough: true }) res: StatusTarget): Promise<object> {
    return send(res, await this.api.login(body));
  }

  @Get('api/profile')
  profile(@Auth() auth: TokenClaims): object {
    return this.api.profile(auth).body;
  }

  @RequirePermissions('admin')
  @Get('api/admin/users')
  adminUsers(): object {
    return this.api.adminUsers().body;
  }

  @RequirePermissions('user:read')
  @Get('api/users')
  listUsers(): object {
    return this.api.listUsers().body;
  }

  @RequirePermissions('user:create')
  @Post('api/users')
  createUser(@Auth() auth: TokenClaims, @Body() body: unknown, @Res({ passthrough: true }) res: StatusTarget): object {
    return send(res, this.api.createUser(auth, body));
  }

  @Post('api/refresh')
  @HttpCode(200)
  async refresh(@Req() req: AuthRequest): Promise<object> {
    return (await this.api.refresh(req)).body;
  }

  @Post('api/logout')
  @HttpCode(200)
  async logout(@Req() req: AuthRequest): Promise<object> {
    return (await this.api.logout(req)).body;
  }
}
