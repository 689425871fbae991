import { afterAll, expect, it } from '@jest/globals';
import { describeEachDatabase } from '../helpers/folio.js';
import { createAdmin, login } from '../helpers/admin.js';
import { startSmtpReceiver } from '../helpers/smtp-receiver.js';

// An SMTP server that takes half a second to accept each message.
const smtp = await startSmtpReceiver(500);
afterAll(() => smtp.close());

describeEachDatabase(
  'forgot-password with a slow SMTP server',
  (t) => {
    it('answers before the reset mail is sent, and the mail still arrives with a working link', async () => {
      const { email } = await createAdmin(t(), ['editor']);
      const mail = smtp.next();
      const res = await t().http().post('/admin-api/auth/forgot-password').send({ email });
      const answeredAt = performance.now();
      expect(res.status).toBe(200);
      const message = await mail;
      expect(answeredAt).toBeLessThan(message.acceptedAt);
      expect(message.data).toContain(`To: ${email}`);
      const text = message.data
        .replace(/=\r\n/g, '')
        .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16))); // quoted-printable
      const token = decodeURIComponent(/token=([^\s&]+)/.exec(text)![1]);
      expect(
        (await t().http().post('/admin-api/auth/reset-password').send({ token, password: 'brand-new-password' }))
          .status,
      ).toBe(200);
      await login(t(), email, 'brand-new-password');
    });
  },
  { SMTP_URL: smtp.url },
);
