import type { Connection } from 'mongoose';
import { DomainError } from '../../../domain/errors.js';
import type { Employee } from '../../../domain/entities.js';
import type { Clock } from '../../../ports/clock.js';
import type { EmployeePatch, EmployeeRepository, NewEmployee } from '../../../ports/store.js';
import { toEmployee } from './docs.js';
import { isDuplicateKey } from './mongo-connection.js';
import { LOGIN_COLLATION, type EmployeeDoc, type Models } from './models.js';
import { DURABLE_TRANSACTION } from './write-concern.js';

const loginTaken = (login: string) => new DomainError('CONFLICT', `The login "${login}" is already taken`);
const idTaken = (id: string) => new DomainError('CONFLICT', `Employee id ${id} is already taken`);

function translateDuplicate(error: unknown, login: string | undefined, id: string | undefined): unknown {
  if (isDuplicateKey(error, 'login_unique')) return loginTaken(login ?? '');
  if (isDuplicateKey(error, '_id_')) return idTaken(id ?? '');
  return error;
}

const byNameThenId = new Intl.Collator('en', { sensitivity: 'accent' });

/** The fields an employee document has besides `_id` and `createdAt`, from a port row. */
function fieldsOf(row: NewEmployee, now: Date): Omit<EmployeeDoc, '_id' | 'createdAt'> {
  return {
    login: row.login,
    name: row.name,
    title: row.title,
    department: row.department ?? null,
    role: row.role,
    active: row.active,
    mobileRaw: row.mobileRaw,
    mobileE164: row.mobileE164,
    mobilePrivate: row.mobilePrivate,
    passwordHash: row.passwordHash,
    updatedAt: now,
  };
}

export function createEmployeeRepository(connection: Connection, models: Models, clock: Clock): EmployeeRepository {
  const { Employee } = models;

  return {
    async create(row) {
      const now = clock.now();
      const doc: EmployeeDoc = { _id: row.id, ...fieldsOf(row, now), createdAt: now };
      try {
        await Employee.create(doc);
      } catch (error) {
        throw translateDuplicate(error, row.login, row.id);
      }
      return toEmployee(doc);
    },

    async update(id, changes: EmployeePatch) {
      // A field given as null clears it; an absent (undefined) field is left alone.
      const set: Record<string, unknown> = { updatedAt: clock.now() };
      for (const [key, value] of Object.entries(changes)) if (value !== undefined) set[key] = value;
      try {
        const doc = await Employee.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', runValidators: true })
          .lean<EmployeeDoc>()
          .exec();
        return doc ? toEmployee(doc) : null;
      } catch (error) {
        throw translateDuplicate(error, changes.login, id);
      }
    },

    async findById(id) {
      const doc = await Employee.findById(id).lean<EmployeeDoc>().exec();
      return doc ? toEmployee(doc) : null;
    },

    async findByLogin(login) {
      // The same collation as the unique index, so the index answers and "Anna" finds "anna".
      const doc = await Employee.findOne({ login }).collation(LOGIN_COLLATION).lean<EmployeeDoc>().exec();
      return doc ? toEmployee(doc) : null;
    },

    async findByIds(ids) {
      if (ids.length === 0) return [];
      // No collation here: it would keep the query off the `_id` index. Sorted like list(), in memory.
      const docs = await Employee.find({ _id: { $in: [...new Set(ids)] } }).lean<EmployeeDoc[]>().exec();
      return docs
        .map(toEmployee)
        .sort((x: Employee, y: Employee) => byNameThenId.compare(x.name, y.name) || (x.id < y.id ? -1 : x.id > y.id ? 1 : 0));
    },

    async list(options) {
      const filter = options?.includeInactive ? {} : { active: true };
      const docs = await Employee.find(filter).collation(LOGIN_COLLATION).sort({ name: 1, login: 1 }).lean<EmployeeDoc[]>().exec();
      return docs.map(toEmployee);
    },

    async count() {
      return Employee.countDocuments({}).exec();
    },

    async upsertMany(rows) {
      const now = clock.now();
      // All or nothing: one transaction. A row whose login exists (in any letter case) updates that employee and
      // keeps its id and createdAt; any other row is inserted, and a clash (a taken id) aborts the whole import.
      return connection.transaction(async (session) => {
        let created = 0;
        let updated = 0;
        for (const row of rows) {
          const match = await Employee.findOneAndUpdate(
            { login: row.login },
            { $set: fieldsOf(row, now) },
            { session, collation: LOGIN_COLLATION, runValidators: true, returnDocument: 'after', projection: { _id: 1 } },
          )
            .lean<Pick<EmployeeDoc, '_id'>>()
            .exec();
          if (match) {
            updated++;
            continue;
          }
          try {
            await Employee.insertMany([{ _id: row.id, ...fieldsOf(row, now), createdAt: now }], { session });
          } catch (error) {
            throw translateDuplicate(error, row.login, row.id);
          }
          created++;
        }
        return { created, updated };
      }, DURABLE_TRANSACTION);
    },
  };
}
