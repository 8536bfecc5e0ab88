import { and, asc, eq, sql } from 'drizzle-orm';
import type { FastifyRequest } from 'fastify';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Config } from '../config';
import type { Database } from '../db/client';
import { mailOutbox } from '../db/schema';
import { loggableError } from './http';
import { rowsOf, type Tx, withoutTenant, withTenant } from './tenancy';

export interface MailMessage {
  kind: string;
  to: string;
  subject: string;
  text: string;
}

/** Queues a message in the caller's transaction: it is sent only if that transaction commits. */
export async function queueMail(tx: Tx, municipalityId: string, m: MailMessage): Promise<void> {
  await tx.insert(mailOutbox).values({
    municipalityId,
    kind: m.kind,
    toAddress: m.to,
    subject: m.subject,
    body: m.text,
  });
}

export interface MailService {
  /** Delivers what one tenant has queued; resolves with the number sent. */
  deliver(municipalityId: string): Promise<number>;
  /** Starts delivery in the background (after a request committed); failures are logged and retried. */
  kick(municipalityId: string): void;
  /** Delivers every tenant's queue (the periodic sweep). */
  sweep(): Promise<number>;
  close(): void;
}

/**
 * An onResponse hook for routes that queue mail: what the request queued leaves once its transaction has
 * committed (after the response), and nothing leaves if it failed.
 */
export const mailAfterCommit =
  (mail: Pick<MailService, 'kick'>) =>
  async (req: FastifyRequest): Promise<void> => {
    if (req.actor && req.unitOfWork && !req.unitOfWork.failed) mail.kick(req.actor.municipalityId);
  };

const BATCH = 50;
const MAX_ATTEMPTS = 5;

/**
 * The outbox: messages are rows queued with the data that caused them and delivered after commit, over
 * SMTP (SMTP_URL) with nodemailer. Without SMTP in demo mode, delivery is to the outbox page only; without
 * SMTP in production, messages wait in the queue. Bodies (they hold personal links) are erased once sent,
 * except in demo mode.
 */
export function createMailService(
  database: Database,
  config: Config,
  log: { error(o: object, msg: string): void },
): MailService {
  const transport: Transporter | null = config.smtpUrl
    ? nodemailer.createTransport(config.smtpUrl, { from: config.mailFrom })
    : null;
  const running = new Map<string, Promise<number>>();

  async function deliverOnce(municipalityId: string): Promise<number> {
    if (!transport && !config.demoMode) return 0;
    return withTenant(database, { municipalityId, userId: null }, async (tx) => {
      const queued = await tx
        .select()
        .from(mailOutbox)
        .where(and(eq(mailOutbox.municipalityId, municipalityId), eq(mailOutbox.status, 'queued')))
        .orderBy(asc(mailOutbox.createdAt))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      let sent = 0;
      for (const m of queued) {
        try {
          if (transport)
            await transport.sendMail({
              from: config.mailFrom,
              to: m.toAddress,
              subject: m.subject,
              text: m.body ?? '',
            });
          await tx
            .update(mailOutbox)
            .set({
              status: 'sent',
              sentAt: sql`now()`,
              attempts: m.attempts + 1,
              body: config.demoMode ? m.body : null,
            })
            .where(eq(mailOutbox.id, m.id));
          sent++;
        } catch (err) {
          const failed = m.attempts + 1 >= MAX_ATTEMPTS;
          await tx
            .update(mailOutbox)
            .set({
              attempts: m.attempts + 1,
              lastError: (err as Error).message.slice(0, 500),
              status: failed ? 'failed' : 'queued',
              body: failed && !config.demoMode ? null : m.body,
            })
            .where(eq(mailOutbox.id, m.id));
        }
      }
      return sent;
    });
  }

  const service: MailService = {
    deliver(municipalityId) {
      // One delivery per tenant at a time; a second caller waits for it, then delivers what is left.
      const previous = running.get(municipalityId) ?? Promise.resolve(0);
      const next = previous.catch(() => 0).then(() => deliverOnce(municipalityId));
      running.set(municipalityId, next);
      void next.finally(() => {
        if (running.get(municipalityId) === next) running.delete(municipalityId);
      });
      return next;
    },
    kick(municipalityId) {
      service
        .deliver(municipalityId)
        .catch((err) => log.error({ err: loggableError(err) }, 'mail delivery failed'));
    },
    async sweep() {
      const tenants = await withoutTenant(database, async (tx) =>
        rowsOf<{ id: string }>(await tx.execute(sql`select mail_outbox_tenants() as id`)).map((r) => r.id),
      );
      let sent = 0;
      for (const t of tenants) sent += await service.deliver(t);
      return sent;
    },
    close() {
      transport?.close();
    },
  };
  return service;
}
