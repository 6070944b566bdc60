import 'reflect-metadata';
import { HttpException } from '@nestjs/common';
import common from '@nestjs/common/package.json' with { type: 'json' };
import { NestApplication } from '@nestjs/core';
import core from '@nestjs/core/package.json' with { type: 'json' };
import { ExpressAdapter } from '@nestjs/platform-express';
import platformExpress from '@nestjs/platform-express/package.json' with { type: 'json' };
import { FastifyAdapter } from '@nestjs/platform-fastify';
import platformFastify from '@nestjs/platform-fastify/package.json' with { type: 'json' };
import testing from '@nestjs/testing/package.json' with { type: 'json' };
import { SecureTokenException } from '@securetoken/nest';
import { describe, expect, it } from 'vitest';
import { PLATFORMS, startApp } from '../../nest/test/harness';

// The suite only proves something about Nest 12 if its harness and the adapter's source load
// the same Nest 12 classes this file sees, not packages/nest's own Nest 11.
describe('the Nest the adapter suite runs against', () => {
  it.each([common, core, platformExpress, platformFastify, testing])('$name is version 12', ({ version }) => {
    expect(version).toMatch(/^12\./);
  });

  it.each(PLATFORMS)('the harness starts a Nest 12 app on %s', async (platform) => {
    const { app, close } = await startApp(platform, {});
    try {
      expect(app).toBeInstanceOf(NestApplication);
      expect(app.getHttpAdapter()).toBeInstanceOf(platform === 'express' ? ExpressAdapter : FastifyAdapter);
    } finally {
      await close();
    }
  });

  it('the adapter source extends the Nest 12 HttpException', () => {
    expect(Object.getPrototypeOf(SecureTokenException)).toBe(HttpException);
  });
});
