/**
 * Bulk SMS from the Directory (issue 13): an admin picks colleagues (by department, title or by hand) and a text
 * or template; each recipient gets an ordinary message in their direct conversation with the sender, with an SMS
 * by the usual rules. The job is claimed under the day's bulk limit (checked and reserved atomically by the
 * store) and the request is answered at once; the runner (bulk-sms-runner.ts) delivers it in the background, and a
 * retry with the same id answers the same job and stores nothing twice.
 */
import type { BulkJobView, BulkPreview, BulkPreviewRequest, BulkSelection, BulkSendRequest } from '../../../shared/schemas/index.js';
import { BulkLimitReached, groupKey, type BulkJob } from '../domain/bulk-sms.js';
import { requestHash } from '../domain/derived-client-id.js';
import type { Employee } from '../domain/entities.js';
import { DomainError, invalid, notFound } from '../domain/errors.js';
import { isIntegrationAccount } from '../domain/sms-paths.js';
import type { Clock } from '../ports/clock.js';
import type { DomainEvents } from '../ports/events.js';
import type { Store } from '../ports/store.js';
import type { SmsTemplateService } from '../sms/templates.js';
import { checkTextOrTemplate, outcomesOf, textsFor } from '../sms/per-recipient.js';
import type { SmsEscalationService } from '../sms/urgent-sms.js';
import type { BulkSmsRunner } from './bulk-sms-runner.js';

export interface BulkSmsLimits {
  maxRecipients: number;
  /** 0: no daily limit. */
  perDay: number;
  pointsPerPart: number;
}

export interface BulkSmsDeps {
  store: Store;
  clock: Clock;
  events: DomainEvents;
  runner: Pick<BulkSmsRunner, 'enqueue'>;
  sms: Pick<SmsEscalationService, 'judgeBulk'>;
  templates: SmsTemplateService;
  timeZone: string;
  messageMaxLength: number;
  limits: BulkSmsLimits;
}

const JOB_LIST_LIMIT = 50;

/** Server time, like SMS_MONTHLY_LIMIT's month. */
function startOfDay(now: Date): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export function createBulkSmsService(deps: BulkSmsDeps) {
  const { store, clock, limits } = deps;

  /** Active people matching any part of the selection, by name; the sender is left out (no conversation with oneself). */
  async function recipientsOf(me: Employee, selection: BulkSelection): Promise<Employee[]> {
    const ids = new Set(selection.employeeIds ?? []);
    const departments = new Set((selection.departments ?? []).map(groupKey));
    const titles = new Set((selection.titles ?? []).map(groupKey));
    if (ids.size + departments.size + titles.size === 0) {
      throw new DomainError('VALIDATION_FAILED', 'Choose recipients: employees, departments or titles', { field: 'recipients', rule: 'required' });
    }
    const people = (await store.employees.list()).filter((e) => !isIntegrationAccount(e));
    const known = new Set(people.map((e) => e.id));
    const unknown = [...ids].filter((id) => !known.has(id));
    if (unknown.length > 0) {
      throw new DomainError('VALIDATION_FAILED', `No active employee with the id(s): ${unknown.join(', ')}`, {
        field: 'recipients/employeeIds',
        unknownRecipients: unknown,
      });
    }
    const chosen = people.filter(
      (e) =>
        e.id !== me.id &&
        (ids.has(e.id) || (e.department && departments.has(groupKey(e.department))) || (e.title && titles.has(groupKey(e.title)))),
    );
    if (chosen.length === 0) {
      throw new DomainError('VALIDATION_FAILED', 'Nobody active matches the chosen recipients', { field: 'recipients', rule: 'required' });
    }
    if (chosen.length > limits.maxRecipients) {
      throw new DomainError('VALIDATION_FAILED', `A bulk SMS may have at most ${limits.maxRecipients} recipients (${chosen.length} chosen)`, {
        field: 'recipients',
        rule: 'range',
        limit: limits.maxRecipients,
      });
    }
    return chosen;
  }

  async function textsForBody(me: Employee, body: BulkPreviewRequest, recipients: Employee[]): Promise<Record<string, string>> {
    checkTextOrTemplate(body.text !== undefined, body.templateId !== undefined, body.variables !== undefined, 'templateId');
    const template = body.templateId === undefined ? null : await deps.templates.find(body.templateId);
    return textsFor(
      { template, text: body.text, variables: body.variables, senderName: me.name, now: clock.now(), timeZone: deps.timeZone, messageMaxLength: deps.messageMaxLength },
      recipients,
    );
  }

  async function preview(me: Employee, body: BulkPreviewRequest): Promise<{ view: BulkPreview; recipients: Employee[]; texts: Record<string, string> }> {
    const recipients = await recipientsOf(me, body.recipients);
    const texts = await textsForBody(me, body, recipients);
    const verdicts = await deps.sms.judgeBulk(
      me,
      recipients.map((recipient) => ({ recipient, text: texts[recipient.id] as string })),
    );
    const rows = recipients.map((r, i) => {
      const verdict = verdicts[i]!;
      return {
        employeeId: r.id,
        name: r.name,
        canReceive: verdict.ok,
        reason: verdict.ok ? null : verdict.reason,
        parts: verdict.ok ? verdict.parts : null,
      };
    });
    const parts = rows.reduce((sum, r) => sum + (r.parts ?? 0), 0);
    const willReceive = rows.filter((r) => r.canReceive).length;
    return {
      recipients,
      texts,
      view: {
        recipients: rows,
        willReceive,
        wontReceive: rows.length - willReceive,
        parts,
        pointsPerPart: limits.pointsPerPart,
        // Rounded to hundredths of a point, as SMSAPI prices are.
        estimatedPoints: Math.round(parts * limits.pointsPerPart * 100) / 100,
        maxRecipients: limits.maxRecipients,
        remainingToday: limits.perDay > 0 ? Math.max(0, limits.perDay - (await store.bulkJobs.reservedSince(startOfDay(clock.now())))) : null,
      },
    };
  }

  async function view(job: BulkJob): Promise<BulkJobView> {
    const [sender, outcomes] = await Promise.all([store.employees.findById(job.senderId), outcomesOf(store, job.senderId, job.id, job.recipientIds)]);
    return {
      id: job.id,
      createdAt: job.createdAt.toISOString(),
      senderName: sender?.name ?? '',
      templateId: job.templateId,
      sampleText: job.texts[job.recipientIds[0] ?? ''] ?? '',
      total: job.recipientIds.length,
      finished: job.finishedAt !== null,
      recipients: outcomes.map(({ employee, ...outcome }, i) => ({ employeeId: job.recipientIds[i] as string, name: employee?.name ?? '', ...outcome })),
    };
  }

  return {
    async preview(me: Employee, body: BulkPreviewRequest): Promise<BulkPreview> {
      return (await preview(me, body)).view;
    },

    /** Claims the job and queues it; the answer comes before any message is stored (`finished` false). */
    async send(me: Employee, body: BulkSendRequest): Promise<{ job: BulkJobView; created: boolean }> {
      const { id, ...content } = body;
      const hash = requestHash(content);
      // A retry must not be refused by a day that filled up after its first attempt: a known id is finished as is.
      const known = await store.bulkJobs.findById(id);
      let job: BulkJob;
      let created = false;
      if (known) job = known;
      else {
        const planned = await preview(me, content);
        try {
          const claim = await store.bulkJobs.claim(
            {
              id,
              senderId: me.id,
              requestHash: hash,
              templateId: content.templateId ?? null,
              recipientIds: planned.recipients.map((r) => r.id),
              texts: planned.texts,
              reservedSms: planned.view.willReceive,
              createdAt: clock.now(),
              finishedAt: null,
            },
            { perDay: limits.perDay, daySince: startOfDay(clock.now()) },
          );
          job = claim.job;
          created = claim.created;
        } catch (error) {
          if (!(error instanceof BulkLimitReached)) throw error;
          const remaining = Math.max(0, error.limit - error.used);
          throw new DomainError('BULK_LIMIT_REACHED', `At most ${error.limit} bulk SMS a day; ${remaining} left today`, {
            limit: error.limit,
            remaining,
          });
        }
      }
      if (job.senderId !== me.id || job.requestHash !== hash) {
        throw new DomainError('CONFLICT', 'This bulk id was already used for a different request');
      }
      // Also for a repeat: an unfinished job not running here (its process stopped) is taken up again.
      deps.runner.enqueue(job);
      return { job: await view(job), created };
    },

    /** Admins see every bulk job: the summary stays available to whoever looks after the SMS account. */
    async find(id: string): Promise<BulkJobView> {
      const job = await store.bulkJobs.findById(id);
      if (!job) throw notFound('No such bulk SMS');
      return view(job);
    },

    async list(): Promise<BulkJobView[]> {
      return Promise.all((await store.bulkJobs.list(null, JOB_LIST_LIMIT)).map(view));
    },
  };
}

export type BulkSmsService = ReturnType<typeof createBulkSmsService>;
