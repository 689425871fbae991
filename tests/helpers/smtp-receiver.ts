// A slow SMTP server for mail tests: speaks just enough SMTP for nodemailer, keeps every message it
// accepts, and answers the end of each message only after `delayMs` (a remote server's round trip).
import net from 'node:net';
import type { AddressInfo } from 'node:net';

export interface AcceptedMail {
  data: string;
  /** performance.now() when the server accepted the message. */
  acceptedAt: number;
}

export interface SmtpReceiver {
  url: string;
  accepted: AcceptedMail[];
  /** Resolves with the next message accepted. */
  next(): Promise<AcceptedMail>;
  close(): Promise<void>;
}

export async function startSmtpReceiver(delayMs: number): Promise<SmtpReceiver> {
  const accepted: AcceptedMail[] = [];
  const waiting: Array<(mail: AcceptedMail) => void> = [];
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
    let buffer = '';
    let inData = false;
    socket.write('220 test SMTP\r\n');
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString('utf8');
      for (;;) {
        if (inData) {
          const end = buffer.indexOf('\r\n.\r\n');
          if (end < 0) return;
          const data = buffer.slice(0, end);
          buffer = buffer.slice(end + 5);
          inData = false;
          setTimeout(() => {
            const mail = { data, acceptedAt: performance.now() };
            accepted.push(mail);
            socket.write('250 accepted\r\n');
            waiting.shift()?.(mail);
          }, delayMs);
          continue;
        }
        const eol = buffer.indexOf('\r\n');
        if (eol < 0) return;
        const command = buffer.slice(0, eol).toUpperCase();
        buffer = buffer.slice(eol + 2);
        if (command.startsWith('DATA')) {
          inData = true;
          socket.write('354 go ahead\r\n');
        } else if (command.startsWith('QUIT')) {
          socket.end('221 bye\r\n');
        } else {
          socket.write('250 ok\r\n');
        }
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `smtp://127.0.0.1:${(server.address() as AddressInfo).port}`,
    accepted,
    next: () => new Promise((resolve) => waiting.push(resolve)),
    close: () => {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
