import { randomBytes, randomUUID } from 'node:crypto';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { and, eq, sql } from 'drizzle-orm';
import { z } from 'zod';
import { requiredLine } from '../../shared/fields';
import { passwordSchema, userCreateBody } from '../../shared/schemas';
import { loadConfig } from '../config';
import { openDatabase } from '../db/client';
import { municipalities, orgUnits, roleAssignments, users } from '../db/schema';
import { asOwner } from '../db/seed/owner';
import { installReferenceData } from '../modules/reference/reference.install';
import { hashPassword } from '../platform/auth/passwords';
import { rowsOf } from '../platform/tenancy';

/**
 * npm run admin:create — the first municipality (or the national agency) and its first administrator, on a
 * server where no demo data is seeded (issue 12, item 8). The password is typed (twice, not echoed), read
 * from standard input, or generated and printed once; there is no default. Runs as the schema owner
 * (DATABASE_URL) and migrates and installs the reference data first, so it works before the first start.
 */
const USAGE = `Brug: npm run admin:create -- --code 101 --name "Eksempel Kommune" --username admin \\
         --display-name "Anne Admin" [--email anne@kommune.dk] [--unit Administration] \\
         [--agency] [--generate-password]
Uden --generate-password skrives adgangskoden (mindst 12 tegn) to gange, eller gives på standard input.`;

const args = z.object({
  code: z.string().regex(/^(\d{3}|[A-Z]{2,10})$/, 'Kommunekoden er tre cifre (styrelsen: store bogstaver)'),
  name: requiredLine(200),
  username: userCreateBody.shape.username,
  displayName: userCreateBody.shape.displayName,
  email: userCreateBody.shape.email,
  unit: requiredLine(200),
});

function fail(message: string): never {
  console.error(message);
  process.exit(2);
}

async function askTwice(): Promise<string> {
  const read = (prompt: string) =>
    new Promise<string>((resolve) => {
      const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
      // Echo nothing of what is typed.
      (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
        if (s.startsWith(prompt)) process.stdout.write(prompt);
      };
      rl.question(prompt, (answer) => {
        rl.close();
        process.stdout.write('\n');
        resolve(answer);
      });
    });
  const first = await read('Adgangskode: ');
  const second = await read('Gentag adgangskode: ');
  if (first !== second) fail('De to adgangskoder er ikke ens. Intet er oprettet.');
  return first;
}

async function readStdin(): Promise<string> {
  let data = '';
  for await (const chunk of process.stdin) data += chunk;
  return data.replace(/\r?\n$/, '');
}

const { values } = parseArgs({
  options: {
    code: { type: 'string' },
    name: { type: 'string' },
    username: { type: 'string' },
    'display-name': { type: 'string' },
    email: { type: 'string' },
    unit: { type: 'string', default: 'Administration' },
    agency: { type: 'boolean', default: false },
    'generate-password': { type: 'boolean', default: false },
    help: { type: 'boolean', default: false },
  },
});
if (values.help) {
  console.log(USAGE);
  process.exit(0);
}
const parsed = args.safeParse({
  code: values.code,
  name: values.name,
  username: values.username,
  displayName: values['display-name'],
  email: values.email,
  unit: values.unit,
});
if (!parsed.success)
  fail(`${parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n')}\n\n${USAGE}`);
const a = parsed.data;

const generated = values['generate-password'];
const password = generated
  ? randomBytes(18).toString('base64url')
  : process.stdin.isTTY
    ? await askTwice()
    : await readStdin();
const checked = passwordSchema.safeParse(password);
if (!checked.success) fail(`Adgangskoden: ${checked.error.issues[0]?.message}. Intet er oprettet.`);

const config = loadConfig();
const database = await openDatabase({ databaseUrl: config.databaseUrl, pgliteDir: config.pgliteDir });
try {
  await database.migrate();
  await installReferenceData(database);
  const taken = rowsOf(await database.db.execute(sql`select 1 from auth_find_user(${a.username})`));
  if (taken.length) fail(`Brugernavnet ${a.username} er optaget. Intet er oprettet.`);
  const [existing] = rowsOf<{ id: string }>(
    await database.db.execute(sql`select id from municipality_ids_by_code(array[${a.code}]::text[])`),
  );
  const municipalityId = existing?.id ?? randomUUID();
  const passwordHash = await hashPassword(checked.data);
  await asOwner(database.db, municipalityId, async (tx) => {
    if (!existing)
      await tx.insert(municipalities).values({
        id: municipalityId,
        code: a.code,
        name: a.name,
        kind: values.agency ? 'national_agency' : 'municipality',
      });
    const [unit] = await tx
      .select({ id: orgUnits.id })
      .from(orgUnits)
      .where(and(eq(orgUnits.municipalityId, municipalityId), eq(orgUnits.name, a.unit)));
    const unitId = unit?.id ?? randomUUID();
    if (!unit)
      await tx
        .insert(orgUnits)
        .values({ id: unitId, municipalityId, name: a.unit, kind: values.agency ? 'team' : 'myndighed' });
    const userId = randomUUID();
    await tx.insert(users).values({
      id: userId,
      municipalityId,
      username: a.username,
      displayName: a.displayName,
      email: a.email,
      passwordHash,
    });
    await tx.insert(roleAssignments).values({ municipalityId, userId, unitId, role: 'administrator' });
    // The operator's act is in the municipality's own log like any other creation of a user.
    await tx.execute(sql`insert into audit_events (municipality_id, request_id, action, resource_type, resource_id, outcome, purpose)
      values (${municipalityId}, ${`cli:${randomUUID()}`}, 'create', 'user', ${userId}, 'success', 'admin:create')`);
  });
  console.log(
    `${existing ? 'Kommunen fandtes' : `Oprettet: ${a.name} (${a.code})`}; administrator ${a.username} i enheden ${a.unit}.`,
  );
  if (generated) console.log(`Adgangskode (vises kun nu): ${checked.data}`);
} finally {
  await database.close();
}
