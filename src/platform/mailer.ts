import nodemailer from 'nodemailer';
import type { Db } from '../db/connection.js';

export interface Mailer {
  /** Records the message in the outbox and, when SMTP_URL is set, sends it. Never throws for delivery. */
  send(db: Db, message: { to: string; subject: string; body: string }): Promise<void>;
}

/** A mailer that keeps every message in email_outbox and delivers through SMTP when configured. */
export function createMailer(smtpUrl: string | undefined, from: string, log: (message: string) => void): Mailer {
  const transport = smtpUrl === undefined ? undefined : nodemailer.createTransport(smtpUrl);
  return {
    async send(db, message) {
      const row = await db
        .insertInto('email_outbox')
        .values({ to_address: message.to, subject: message.subject, body: message.body })
        .returning('id')
        .executeTakeFirstOrThrow();
      if (transport === undefined) {
        log(`Email to ${message.to} kept in the outbox (no SMTP_URL): ${message.subject}`);
        return;
      }
      try {
        await transport.sendMail({ from, to: message.to, subject: message.subject, text: message.body });
        await db.updateTable('email_outbox').set({ sent_at: new Date() }).where('id', '=', row.id).execute();
      } catch (error) {
        await db
          .updateTable('email_outbox')
          .set({ error: (error as Error).message })
          .where('id', '=', row.id)
          .execute();
        log(`Email to ${message.to} could not be sent: ${(error as Error).message}`);
      }
    },
  };
}
