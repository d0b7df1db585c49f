import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from 'typeorm';
import { ROLES, type Role } from '../common/auth/auth-user.js';

@Entity({ name: 'users' })
@Unique('uq_users_email', ['email'])
@Check('ck_users_email_normalized', 'email = lower(btrim(email))')
export class User {
  @PrimaryGeneratedColumn('uuid')
  id: string;

  /** Trimmed and lower-cased, so comparisons are case-insensitive. */
  @Column({ type: 'varchar', length: 254 })
  email: string;

  /** argon2id PHC string; never leaves the users module. */
  @Column({ type: 'varchar', length: 255 })
  passwordHash: string;

  @Column({ type: 'varchar', length: 80 })
  displayName: string;

  @Column({ type: 'enum', enum: ROLES, enumName: 'user_role', default: 'user' })
  role: Role;

  @CreateDateColumn({ type: 'timestamptz' })
  createdAt: Date;

  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt: Date;
}
