import type Database from 'better-sqlite3';
import { DomainError } from '../../../domain/errors.js';
import type { Clock } from '../../../ports/clock.js';
import type { EmployeePatch, EmployeeRepository, NewEmployee } from '../../../ports/store.js';
import { jsonList, ms, toEmployee, type EmployeeRow } from './rows.js';
import { isUniqueViolation } from './sqlite-errors.js';

interface EmployeeParams {
  id: string;
  login: string;
  name: string;
  title: string | null;
  department: string | null;
  role: string;
  active: number;
  mobile_raw: string | null;
  mobile_e164: string | null;
  mobile_private: number;
  password_hash: string;
  now: number;
}

const toParams = (employee: NewEmployee, now: number): EmployeeParams => ({
  id: employee.id,
  login: employee.login,
  name: employee.name,
  title: employee.title,
  department: employee.department ?? null,
  role: employee.role,
  active: employee.active ? 1 : 0,
  mobile_raw: employee.mobileRaw,
  mobile_e164: employee.mobileE164,
  mobile_private: employee.mobilePrivate ? 1 : 0,
  password_hash: employee.passwordHash,
  now,
});

const loginTaken = (login: string) => new DomainError('CONFLICT', `The login "${login}" is already taken`);

export function createEmployeeRepository(db: Database.Database, clock: Clock): EmployeeRepository {
  const insert = db.prepare<EmployeeParams, EmployeeRow>(`
    INSERT INTO employees (id, login, name, title, department, role, active, mobile_raw, mobile_e164, mobile_private,
                           password_hash, created_at, updated_at)
    VALUES (@id, @login, @name, @title, @department, @role, @active, @mobile_raw, @mobile_e164, @mobile_private,
            @password_hash, @now, @now)
    RETURNING *`);
  // One statement for every patch shape: a `set_*` flag says whether the field was given, because a given
  // null (clearing a title) must differ from an absent field.
  const patch = db.prepare<Record<string, string | number | null>, EmployeeRow>(`
    UPDATE employees SET
      login          = CASE WHEN @set_login          THEN @login          ELSE login          END,
      name           = CASE WHEN @set_name           THEN @name           ELSE name           END,
      title          = CASE WHEN @set_title          THEN @title          ELSE title          END,
      department     = CASE WHEN @set_department     THEN @department     ELSE department     END,
      role           = CASE WHEN @set_role           THEN @role           ELSE role           END,
      active         = CASE WHEN @set_active         THEN @active         ELSE active         END,
      mobile_raw     = CASE WHEN @set_mobile_raw     THEN @mobile_raw     ELSE mobile_raw     END,
      mobile_e164    = CASE WHEN @set_mobile_e164    THEN @mobile_e164    ELSE mobile_e164    END,
      mobile_private = CASE WHEN @set_mobile_private THEN @mobile_private ELSE mobile_private END,
      working_hours  = CASE WHEN @set_working_hours  THEN @working_hours  ELSE working_hours  END,
      password_hash  = CASE WHEN @set_password_hash  THEN @password_hash  ELSE password_hash  END,
      updated_at     = @now
    WHERE id = @id
    RETURNING *`);
  const replaceByLogin = db.prepare<EmployeeParams>(`
    UPDATE employees SET
      login = @login, name = @name, title = @title, department = @department, role = @role, active = @active, mobile_raw = @mobile_raw,
      mobile_e164 = @mobile_e164, mobile_private = @mobile_private, password_hash = @password_hash, updated_at = @now
    WHERE login = @login COLLATE NOCASE`);
  const byId = db.prepare<[string], EmployeeRow>('SELECT * FROM employees WHERE id = ?');
  const byLogin = db.prepare<[string], EmployeeRow>('SELECT * FROM employees WHERE login = ? COLLATE NOCASE');
  const byIds = db.prepare<[string], EmployeeRow>(
    'SELECT * FROM employees WHERE id IN (SELECT value FROM json_each(?)) ORDER BY name COLLATE NOCASE, id',
  );
  const listAll = db.prepare<[number], EmployeeRow>(
    'SELECT * FROM employees WHERE active = 1 OR ? ORDER BY name COLLATE NOCASE, login COLLATE NOCASE',
  );
  const countAll = db.prepare<[], { n: number }>('SELECT count(*) AS n FROM employees');

  const upsertAll = db.transaction((rows: NewEmployee[], now: number) => {
    let created = 0;
    let updated = 0;
    for (const row of rows) {
      const params = toParams(row, now);
      if (replaceByLogin.run(params).changes > 0) {
        updated++;
        continue;
      }
      try {
        insert.run(params);
      } catch (error) {
        throw isUniqueViolation(error) ? new DomainError('CONFLICT', `Employee id ${row.id} is already taken`) : error;
      }
      created++;
    }
    return { created, updated };
  });

  return {
    async create(employee) {
      try {
        return toEmployee(insert.get(toParams(employee, ms(clock.now()))) as EmployeeRow);
      } catch (error) {
        if (isUniqueViolation(error, 'employees.login')) throw loginTaken(employee.login);
        if (isUniqueViolation(error)) throw new DomainError('CONFLICT', `Employee id ${employee.id} is already taken`);
        throw error;
      }
    },

    async update(id, changes: EmployeePatch) {
      const given = <K extends keyof EmployeePatch>(key: K) => (changes[key] !== undefined ? 1 : 0);
      const flag = (value: boolean | undefined) => (value === undefined ? null : value ? 1 : 0);
      try {
        const row = patch.get({
          id,
          now: ms(clock.now()),
          set_login: given('login'),
          login: changes.login ?? null,
          set_name: given('name'),
          name: changes.name ?? null,
          set_title: given('title'),
          title: changes.title ?? null,
          set_department: given('department'),
          department: changes.department ?? null,
          set_role: given('role'),
          role: changes.role ?? null,
          set_active: given('active'),
          active: flag(changes.active),
          set_mobile_raw: given('mobileRaw'),
          mobile_raw: changes.mobileRaw ?? null,
          set_mobile_e164: given('mobileE164'),
          mobile_e164: changes.mobileE164 ?? null,
          set_mobile_private: given('mobilePrivate'),
          mobile_private: flag(changes.mobilePrivate),
          set_working_hours: given('workingHours'),
          working_hours: changes.workingHours ? JSON.stringify(changes.workingHours) : null,
          set_password_hash: given('passwordHash'),
          password_hash: changes.passwordHash ?? null,
        });
        return row ? toEmployee(row) : null;
      } catch (error) {
        if (isUniqueViolation(error, 'employees.login')) throw loginTaken(changes.login ?? '');
        throw error;
      }
    },

    async findById(id) {
      const row = byId.get(id);
      return row ? toEmployee(row) : null;
    },

    async findByLogin(login) {
      const row = byLogin.get(login);
      return row ? toEmployee(row) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      return byIds.all(jsonList(ids)).map(toEmployee);
    },

    async list(options) {
      return listAll.all(options?.includeInactive ? 1 : 0).map(toEmployee);
    },

    async count() {
      return (countAll.get() as { n: number }).n;
    },

    async upsertMany(rows) {
      return upsertAll.immediate(rows, ms(clock.now()));
    },
  };
}
