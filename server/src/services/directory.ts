/**
 * The employee directory ("kartoteka"): colleagues, own profile, admin management, file import and the demo
 * company.
 */
import { randomUUID } from 'node:crypto';
import { isIntegrationAccount } from '../domain/sms-paths.js';
import type {
  ChangePasswordBody,
  CreateEmployeeBody,
  ImportRow,
  UpdateEmployeeBody,
  UpdateMyProfileBody,
} from '../../../shared/schemas/index.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, notFound } from '../domain/errors.js';
import { hashPassword, verifyPassword, type ScryptParams } from '../domain/password.js';
import { parseMobile } from '../domain/phone.js';
import type { DomainEvents } from '../ports/events.js';
import type { EmployeePatch, NewEmployee, Store } from '../ports/store.js';

export interface DirectoryServiceDeps {
  store: Store;
  events: DomainEvents;
  passwordParams?: ScryptParams;
  /** Checks a signed-in employee's current password under the sign-in limits (AuthService.checkCurrentPassword). */
  checkCurrentPassword?: (employee: Employee, password: string, address: string) => Promise<boolean>;
}

/** Trimmed; blank means none. Undefined (not given) stays undefined: an update leaves the field alone. */
export function cleanDepartment(department: string | null | undefined): string | null | undefined {
  if (department === undefined) return undefined;
  return department?.trim() || null;
}

function mobilePatch(mobile: string | null | undefined): Pick<EmployeePatch, 'mobileRaw' | 'mobileE164'> {
  if (mobile === undefined) return {};
  const parsed = parseMobile(mobile);
  return { mobileRaw: parsed.raw, mobileE164: parsed.e164 };
}

export function createDirectoryService(deps: DirectoryServiceDeps) {
  const { store } = deps;
  const hash = (password: string) => hashPassword(password, deps.passwordParams);
  const checkCurrent = deps.checkCurrentPassword ?? ((employee: Employee, password: string) => verifyPassword(password, employee.passwordHash));

  async function mustFind(id: string): Promise<Employee> {
    const employee = await store.employees.findById(id);
    if (!employee || isIntegrationAccount(employee)) throw notFound('No such employee');
    return employee;
  }

  async function endSessions(employeeId: string, reason: 'deactivated' | 'password-changed', exceptTokenHash?: string): Promise<void> {
    await store.sessions.deleteForEmployee(employeeId, exceptTokenHash);
    deps.events.publish('employee.signedOut', { employeeId, reason, ...(exceptTokenHash ? { exceptTokenHash } : {}) });
  }

  return {
    listActive: () => store.employees.list(),
    // Integration accounts are not people: they appear as senders only (domain/sms-paths.ts).
    listAll: async () => (await store.employees.list({ includeInactive: true })).filter((e) => !isIntegrationAccount(e)),

    async updateMyProfile(employeeId: string, body: UpdateMyProfileBody): Promise<Employee> {
      const hours = body.workingHours;
      if (hours && hours.start === hours.end) {
        throw new DomainError('VALIDATION_FAILED', 'workingHours.end must differ from workingHours.start', { field: 'workingHours/end' });
      }
      const updated = await store.employees.update(employeeId, {
        ...mobilePatch(body.mobile),
        ...(body.mobilePrivate === undefined ? {} : { mobilePrivate: body.mobilePrivate }),
        ...(hours === undefined ? {} : { workingHours: hours && { ...hours, days: [...hours.days].sort((a, b) => a - b) } }),
      });
      if (!updated) throw notFound('No such employee');
      return updated;
    },

    /**
     * A new password ends every other session: whoever knew the old one (the reason to change it, often) is out.
     * The session it was changed from stays signed in.
     */
    async changePassword(employeeId: string, body: ChangePasswordBody, currentTokenHash: string | undefined, address: string): Promise<void> {
      const employee = await mustFind(employeeId);
      if (!(await checkCurrent(employee, body.currentPassword, address))) {
        throw new DomainError('INVALID_CREDENTIALS', 'The current password is wrong');
      }
      await store.employees.update(employeeId, { passwordHash: await hash(body.newPassword) });
      await endSessions(employeeId, 'password-changed', currentTokenHash);
    },

    async create(body: CreateEmployeeBody): Promise<Employee> {
      if (await store.employees.findByLogin(body.login)) {
        throw new DomainError('CONFLICT', `The login "${body.login}" is already taken`);
      }
      const parsed = parseMobile(body.mobile ?? null);
      return store.employees.create({
        id: randomUUID(),
        login: body.login,
        name: body.name.trim(),
        title: body.title?.trim() || null,
        department: cleanDepartment(body.department) ?? null,
        role: body.role ?? 'employee',
        active: true,
        mobileRaw: parsed.raw,
        mobileE164: parsed.e164,
        mobilePrivate: body.mobilePrivate ?? false,
        passwordHash: await hash(body.password),
      });
    },

    async update(actorId: string, id: string, body: UpdateEmployeeBody): Promise<Employee> {
      const before = await mustFind(id);
      if (actorId === id && (body.active === false || body.role === 'employee')) {
        throw new DomainError('VALIDATION_FAILED', 'You cannot deactivate yourself or take away your own admin role');
      }
      const patch: EmployeePatch = {
        ...mobilePatch(body.mobile),
        ...(body.name === undefined ? {} : { name: body.name.trim() }),
        ...(body.title === undefined ? {} : { title: body.title?.trim() || null }),
        ...(body.department === undefined ? {} : { department: cleanDepartment(body.department) ?? null }),
        ...(body.mobilePrivate === undefined ? {} : { mobilePrivate: body.mobilePrivate }),
        ...(body.role === undefined ? {} : { role: body.role }),
        ...(body.active === undefined ? {} : { active: body.active }),
        ...(body.password === undefined ? {} : { passwordHash: await hash(body.password) }),
      };
      const updated = await store.employees.update(id, patch);
      if (!updated) throw notFound('No such employee');
      if (before.active && !updated.active) await endSessions(id, 'deactivated');
      // A reset password ends all of the employee's sessions (an admin resetting their own keeps none either).
      else if (body.password !== undefined) await endSessions(id, 'password-changed');
      return updated;
    },

    /**
     * Upserts rows by login, all or nothing. Rows were validated by the caller; a new employee without a password
     * gets a random one (they cannot sign in until an admin sets one). `idFor` names new employees' ids (the demo).
     */
    async importRows(rows: ImportRow[], options: { idFor?: (login: string) => string } = {}): Promise<{ created: number; updated: number }> {
      const existing = new Map<string, Employee>();
      for (const row of rows) {
        const found = await store.employees.findByLogin(row.login);
        if (found) existing.set(row.login.toLowerCase(), found);
      }
      const prepared: NewEmployee[] = [];
      for (const row of rows) {
        const before = existing.get(row.login.toLowerCase());
        const parsed = row.mobile === undefined && before ? { raw: before.mobileRaw, e164: before.mobileE164 } : parseMobile(row.mobile ?? null);
        prepared.push({
          id: before?.id ?? options.idFor?.(row.login) ?? randomUUID(),
          login: before?.login ?? row.login,
          name: row.name.trim(),
          title: row.title === undefined ? (before?.title ?? null) : row.title?.trim() || null,
          department: row.department === undefined ? (before?.department ?? null) : (cleanDepartment(row.department) ?? null),
          role: row.role ?? before?.role ?? 'employee',
          active: row.active ?? before?.active ?? true,
          mobileRaw: parsed.raw,
          mobileE164: parsed.e164,
          mobilePrivate: row.mobilePrivate ?? before?.mobilePrivate ?? false,
          passwordHash: row.password ? await hash(row.password) : (before?.passwordHash ?? (await hash(randomUUID()))),
        });
      }
      const result = await store.employees.upsertMany(prepared);
      for (const row of prepared) {
        const before = existing.get(row.login.toLowerCase());
        if (!row.active && before?.active) await endSessions(row.id, 'deactivated');
        else if (before && row.passwordHash !== before.passwordHash) await endSessions(row.id, 'password-changed');
      }
      return result;
    },
  };
}

export type DirectoryService = ReturnType<typeof createDirectoryService>;
