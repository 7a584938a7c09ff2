// Accounts and roles: who is signed in, signing in and out, and the organiser's list of who holds
// which role in an event (docs/protocol.md, "Accounts").
import { api, request } from '../api';
import type { Me } from '../types';
import { eventPath } from './paths';

export function me(): Promise<Me> {
  return api.get<Me>('/api/me');
}

export function login(email: string, password: string): Promise<Me> {
  return api.post<Me>('/api/auth/login', { email, password });
}

export function register(email: string, password: string, fullName: string): Promise<Me> {
  return api.post<Me>('/api/auth/register', { email, password, full_name: fullName });
}

export function logout(): Promise<unknown> {
  return api.post('/api/auth/logout');
}

export interface Assignment {
  user: { id: number; email: string; full_name: string };
  role: string;
  section?: number | null;
}

// A role given to an e-mail without an account, waiting for the person to sign up.
export interface Invitation {
  email: string;
  role: string;
  section?: number | null;
}

export interface RoleList {
  roles: Assignment[];
  invitations?: Invitation[];
}

export function roles(id: string, signal?: AbortSignal): Promise<RoleList> {
  return request<RoleList>('GET', eventPath(id, '/roles'), undefined, signal ? { signal } : {});
}

// POST …/roles: grants the role, or invites the address when no account has it yet.
export function grantRole(id: string, grant: { email: string; role: string; section?: number }): Promise<{ invitation?: Invitation }> {
  return request<{ invitation?: Invitation }>('POST', eventPath(id, '/roles'), grant);
}

export function withdrawRole(id: string, a: Assignment): Promise<unknown> {
  return request('DELETE', eventPath(id, '/roles'), { user_id: a.user.id, role: a.role, section: a.section ?? null });
}

export function withdrawInvitation(id: string, i: Invitation): Promise<unknown> {
  return request('DELETE', eventPath(id, '/roles'), { email: i.email, role: i.role, section: i.section ?? null });
}
