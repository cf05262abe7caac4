import { Body, Controller, Delete, HttpCode, Post, Put, Req } from '@nestjs/common';
import { ApiCreatedResponse, ApiNoContentResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RouteSchema } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import { RequireScope } from '../auth/auth.decorators.js';
import { CurrentPrincipal } from '../auth/principal.decorator.js';
import type { Principal } from '../auth/api-key.service.js';
import { ApiProblems } from '../http/api-problems.decorator.js';
import { RateLimit } from '../rate-limit/rate-limit.decorator.js';
import { InstallationDto } from './installations.dto.js';
import { InstallationsService } from './installations.service.js';
import { PushRegistrationDto } from './push-registration.dto.js';
import { PUSH_REGISTRATION_BODY } from './push-registration.schema.js';
import { PushRegistrationService } from './push-registration.service.js';

@ApiTags('installations')
@Controller('v1/installations')
export class InstallationsController {
  constructor(
    private readonly installations: InstallationsService,
    private readonly push: PushRegistrationService,
  ) {}

  @Post()
  @HttpCode(201)
  @RequireScope('install')
  @RateLimit('installPerKey')
  @ApiOperation({
    operationId: 'registerInstallation',
    summary: 'Register an installation of the app and get its own token',
    description:
      'Called once per installation with the app key (scope `install`). The token is shown once; ' +
      'it carries the scopes the app key grants and has its own rate-limit budgets. ' +
      'Registration is limited per app key and per client address.',
  })
  @ApiCreatedResponse({ type: InstallationDto })
  // It takes no body, but a body sent anyway is parsed (and refused) like any other.
  @ApiProblems(400, 403, 413, 415)
  register(
    @CurrentPrincipal() principal: Principal,
    @Req() request: FastifyRequest,
  ): Promise<InstallationDto> {
    return this.installations.register(principal, request.ip);
  }

  @Put('me/push')
  @HttpCode(204)
  @RequireScope('read')
  @RateLimit('watchesWrite')
  @ApiOperation({
    operationId: 'registerPushToken',
    summary: "Register this installation's APNs device token",
    description:
      'Called with the installation token whenever the app gets a device token (every launch: ' +
      'it may change). Alerts of this installation’s watches are then pushed to it. Registering ' +
      'a token takes it from any other installation that had it. A token APNs calls no longer ' +
      'valid (410 Unregistered) is forgotten: the app registers again on its next launch.',
  })
  @RouteSchema({ body: PUSH_REGISTRATION_BODY })
  @ApiNoContentResponse({ description: 'Registered (or replaced the previous token)' })
  @ApiProblems(400, 403, 413, 415)
  async registerPush(
    @CurrentPrincipal() principal: Principal,
    @Body() dto: PushRegistrationDto,
  ): Promise<void> {
    await this.push.register(principal, dto);
  }

  @Delete('me/push')
  @HttpCode(204)
  @RequireScope('read')
  @RateLimit('watchesWrite')
  @ApiOperation({
    operationId: 'unregisterPushToken',
    summary: "Forget this installation's device token: no more pushes (alerts still listed)",
  })
  @ApiNoContentResponse({ description: 'Forgotten (or there was none)' })
  @ApiProblems(403)
  async unregisterPush(@CurrentPrincipal() principal: Principal): Promise<void> {
    await this.push.unregister(principal);
  }
}
