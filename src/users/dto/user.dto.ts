import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type Role } from '../../common/auth/auth-user.js';
import type { User } from '../user.entity.js';

export class UserDto {
  @ApiProperty({ format: 'uuid' })
  id: string;

  @ApiProperty({ example: 'asha@example.com' })
  email: string;

  @ApiProperty({ example: 'Asha' })
  displayName: string;

  @ApiProperty({ enum: ROLES, enumName: 'Role', example: 'user' })
  role: Role;

  @ApiProperty({ type: String, format: 'date-time' })
  createdAt: string;

  static from(user: User): UserDto {
    return {
      id: user.id,
      email: user.email,
      displayName: user.displayName,
      role: user.role,
      createdAt: new Date(user.createdAt).toISOString(),
    };
  }
}
