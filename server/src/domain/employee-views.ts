/** How an employee is shown to whom. The phone number reaches only its owner (and admins, unless private). */
import type { Colleague, DirectoryEntry, Me } from '../../../shared/schemas/index.js';
import type { Employee } from './entities.js';
import { mobileStatus } from './phone.js';

export function toColleague(e: Employee): Colleague {
  return {
    id: e.id,
    login: e.login,
    name: e.name,
    title: e.title,
    ...(e.department ? { department: e.department } : {}),
    role: e.role,
    smsReachable: mobileStatus(e) === 'ok',
  };
}

export function toMe(e: Employee): Me {
  return {
    id: e.id,
    login: e.login,
    name: e.name,
    title: e.title,
    role: e.role,
    mobile: e.mobileRaw,
    mobilePrivate: e.mobilePrivate,
    mobileStatus: mobileStatus(e),
    workingHours: e.workingHours ?? null,
  };
}

export function toDirectoryEntry(e: Employee): DirectoryEntry {
  return {
    id: e.id,
    login: e.login,
    name: e.name,
    title: e.title,
    department: e.department ?? null,
    role: e.role,
    active: e.active,
    mobile: e.mobilePrivate ? null : e.mobileRaw,
    hasMobile: e.mobileRaw !== null,
    mobilePrivate: e.mobilePrivate,
    mobileStatus: mobileStatus(e),
  };
}
