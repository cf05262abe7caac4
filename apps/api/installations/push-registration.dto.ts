import { ApiProperty, ApiSchema } from '@nestjs/swagger';
import { IsIn, IsString, Matches } from 'class-validator';
import { DEVICE_TOKEN_PATTERN } from '#apns';
import { APNS_ENVIRONMENTS, type ApnsEnvironment } from '#database';

/** PUT /v1/installations/me/push: where this installation's alerts are pushed. */
@ApiSchema({ name: 'PushRegistration' })
export class PushRegistrationDto {
  @ApiProperty({
    description:
      'The APNs device token from didRegisterForRemoteNotificationsWithDeviceToken, as hex ' +
      '(16 to 200 hex digits, an even number; 64 today). Case-insensitive.',
    pattern: DEVICE_TOKEN_PATTERN.source,
    example: '5f3a9c0e7b1d42a8c6e09f7d3b2a1c4e8f6d5b3a2c1e0f9d8b7a6c5e4d3b2a1f',
  })
  @IsString()
  @Matches(DEVICE_TOKEN_PATTERN, {
    message: 'token must be the device token as hex: 16 to 200 hex digits, an even number',
  })
  token!: string;

  @ApiProperty({
    enum: APNS_ENVIRONMENTS,
    enumName: 'ApnsEnvironment',
    description:
      'Which APNs issued the token: `sandbox` for a debug build run from Xcode, `production` for ' +
      'TestFlight and the App Store (the aps-environment entitlement of the build)',
    example: 'production',
  })
  @IsIn(APNS_ENVIRONMENTS, { message: 'environment must be sandbox or production' })
  environment!: ApnsEnvironment;
}
