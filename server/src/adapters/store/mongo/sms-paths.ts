/** SMS templates, integrations and their notifications in MongoDB (issue 13). */
import { templateNameKey, type ApiNotification, type Integration, type SmsTemplateRecord } from '../../../domain/sms-paths.js';
import {
  TemplateNameTaken,
  type ApiNotificationRepository,
  type IntegrationRepository,
  type SmsTemplateRepository,
} from '../../../ports/sms-paths-store.js';
import { isDuplicateKey } from './mongo-connection.js';
import type { ApiNotificationDoc, IntegrationDoc, Models, SmsTemplateDoc } from './models.js';

const toTemplate = (doc: SmsTemplateDoc): SmsTemplateRecord => ({
  id: doc._id,
  name: doc.name,
  text: doc.text,
  createdAt: doc.createdAt,
  updatedAt: doc.updatedAt,
});

const toIntegration = (doc: IntegrationDoc): Integration => ({
  id: doc._id,
  name: doc.name,
  employeeId: doc.employeeId,
  tokenHash: doc.tokenHash,
  perMinute: doc.perMinute,
  createdBy: doc.createdBy,
  createdAt: doc.createdAt,
  revokedAt: doc.revokedAt ?? null,
});

const toApiNotification = (doc: ApiNotificationDoc): ApiNotification => ({
  id: doc._id,
  integrationId: doc.integrationId,
  idempotencyKey: doc.idempotencyKey ?? null,
  requestHash: doc.requestHash,
  recipientIds: [...doc.recipientIds],
  texts: { ...doc.texts },
  sms: doc.sms,
  ifUnreadMinutes: doc.ifUnreadMinutes ?? null,
  createdAt: doc.createdAt,
});

export function createSmsTemplateRepository({ SmsTemplate }: Models): SmsTemplateRepository {
  async function nameTaken<T>(name: string, write: () => Promise<T>): Promise<T> {
    try {
      return await write();
    } catch (error) {
      if (isDuplicateKey(error, 'name_key_unique')) throw new TemplateNameTaken(name);
      throw error;
    }
  }

  return {
    async create(template) {
      await nameTaken(template.name, () =>
        SmsTemplate.create({
          _id: template.id,
          name: template.name,
          nameKey: templateNameKey(template.name),
          text: template.text,
          createdAt: template.createdAt,
          updatedAt: template.updatedAt,
        }),
      );
      return template;
    },
    async update(id, changes) {
      const set: Partial<SmsTemplateDoc> = { updatedAt: changes.updatedAt };
      if (changes.name !== undefined) Object.assign(set, { name: changes.name, nameKey: templateNameKey(changes.name) });
      if (changes.text !== undefined) set.text = changes.text;
      const doc = await nameTaken(changes.name ?? '', () =>
        SmsTemplate.findOneAndUpdate({ _id: id }, { $set: set }, { returnDocument: 'after', runValidators: true })
          .lean<SmsTemplateDoc>()
          .exec(),
      );
      return doc ? toTemplate(doc) : null;
    },
    async delete(id) {
      return (await SmsTemplate.deleteOne({ _id: id }).exec()).deletedCount > 0;
    },
    async findById(id) {
      const doc = await SmsTemplate.findById(id).lean<SmsTemplateDoc>().exec();
      return doc ? toTemplate(doc) : null;
    },
    async findByName(name) {
      const doc = await SmsTemplate.findOne({ nameKey: templateNameKey(name) }).lean<SmsTemplateDoc>().exec();
      return doc ? toTemplate(doc) : null;
    },
    async list() {
      const docs = await SmsTemplate.find({}).sort({ nameKey: 1, _id: 1 }).lean<SmsTemplateDoc[]>().exec();
      return docs.map(toTemplate);
    },
  };
}

export function createIntegrationRepository({ Integration }: Models): IntegrationRepository {
  return {
    async create(integration) {
      const { id, ...rest } = integration;
      await Integration.create({ _id: id, ...rest });
      return integration;
    },
    async list() {
      const docs = await Integration.find({}).sort({ createdAt: -1, _id: -1 }).lean<IntegrationDoc[]>().exec();
      return docs.map(toIntegration);
    },
    async findById(id) {
      const doc = await Integration.findById(id).lean<IntegrationDoc>().exec();
      return doc ? toIntegration(doc) : null;
    },
    async findByTokenHash(tokenHash) {
      const doc = await Integration.findOne({ tokenHash }).lean<IntegrationDoc>().exec();
      return doc ? toIntegration(doc) : null;
    },
    async revoke(id, at) {
      // Only the first revoke sets the time; then the current document either way.
      await Integration.updateOne({ _id: id, revokedAt: null }, { $set: { revokedAt: at } }).exec();
      const doc = await Integration.findById(id).lean<IntegrationDoc>().exec();
      return doc ? toIntegration(doc) : null;
    },
  };
}

export function createApiNotificationRepository({ ApiNotification }: Models): ApiNotificationRepository {
  return {
    async claim(notification) {
      try {
        await ApiNotification.create({
          _id: notification.id,
          integrationId: notification.integrationId,
          idempotencyKey: notification.idempotencyKey,
          requestHash: notification.requestHash,
          recipientIds: notification.recipientIds,
          texts: notification.texts,
          sms: notification.sms,
          ifUnreadMinutes: notification.ifUnreadMinutes,
          createdAt: notification.createdAt,
        });
        return { notification, created: true };
      } catch (error) {
        // The unique (integration, key) index decides between racing claims, across processes too.
        if (notification.idempotencyKey === null || !isDuplicateKey(error, 'integration_key_unique')) throw error;
        const doc = await ApiNotification.findOne({
          integrationId: notification.integrationId,
          idempotencyKey: notification.idempotencyKey,
        })
          .lean<ApiNotificationDoc>()
          .exec();
        if (!doc) throw error;
        return { notification: toApiNotification(doc), created: false };
      }
    },
    async findById(id) {
      const doc = await ApiNotification.findById(id).lean<ApiNotificationDoc>().exec();
      return doc ? toApiNotification(doc) : null;
    },
  };
}
