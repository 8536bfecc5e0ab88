import { SMTPServer } from 'smtp-server';

/** RFC 2047 encoded words (=?UTF-8?Q?…?= / =?UTF-8?B?…?=) in a header. */
function decodeWords(v: string): string {
  return v
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?([QB])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toUpperCase() === 'B'
        ? Buffer.from(data, 'base64').toString('utf8')
        : Buffer.from(
            data
              .replace(/_/g, ' ')
              .replace(/=([0-9A-F]{2})/gi, (_m, h) => String.fromCharCode(Number.parseInt(h, 16))),
            'latin1',
          ).toString('utf8'),
    );
}

/** A real SMTP server in the test process: every message the app sends lands here. */
export async function startSmtp() {
  const received: { to: string; subject: string; text: string }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, done) {
      let raw = '';
      stream.on('data', (c: Buffer) => {
        raw += c.toString('utf8');
      });
      stream.on('end', () => {
        const [head, ...body] = raw.split(/\r?\n\r?\n/);
        const subject = decodeWords(/^Subject: (.*(?:\r?\n[ \t].*)*)$/im.exec(head ?? '')?.[1] ?? '');
        const qp = body.join('\n\n').replace(/=\r?\n/g, '');
        const bytes = qp.replace(/=([0-9A-F]{2})/g, (_, h) => String.fromCharCode(Number.parseInt(h, 16)));
        const text = Buffer.from(bytes, 'latin1').toString('utf8');
        received.push({ to: session.envelope.rcptTo.map((r) => r.address).join(','), subject, text });
        done();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as { port: number }).port;
  return {
    received,
    url: `smtp://127.0.0.1:${port}`,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

/** The link token in a mail (after '#'). */
export const tokenIn = (text: string) => /#([A-Za-z0-9_-]{30,})/.exec(text)?.[1] ?? '';
