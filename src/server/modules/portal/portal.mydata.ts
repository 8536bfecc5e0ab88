import { sql } from 'drizzle-orm';
import PDFDocument from 'pdfkit';
import { auditCitizen, type PortalAuditContext } from '../../platform/audit';
import { rowsOf, type Tx } from '../../platform/tenancy';

/**
 * Mine data (GDPR art. 15): everything Retning holds about the citizen, from the definer function
 * portal_my_data() (migration 0029), which decides from the schema what belongs to the citizen. As JSON for
 * machines, and as a PDF for people, written by a PDF library (pdfkit), not printed by a browser.
 */
export type MyData = Record<string, Record<string, unknown>[]>;

export async function myData(tx: Tx, ctx: PortalAuditContext, format: 'json' | 'pdf'): Promise<MyData> {
  const [row] = rowsOf<{ data: MyData | string | null }>(
    await tx.execute(sql`select portal_my_data() as data`),
  );
  const raw = row?.data ?? null;
  if (!raw) throw new Error('portal_my_data() answered nothing in a portal request');
  const data: MyData = typeof raw === 'string' ? JSON.parse(raw) : raw;
  auditCitizen(ctx, {
    action: 'export',
    resourceType: 'my_data',
    criteria: { format, tables: Object.keys(data).length },
  });
  return data;
}

/** Danish titles for the tables a citizen meets; any other table keeps its name (the JSON has them all). */
const TITLES: Record<string, string> = {
  citizens: 'Dine stamoplysninger',
  citizen_narratives: 'Dine egne ord',
  network_members: 'Dit netværk',
  network_member_revisions: 'Dit netværk (versioner)',
  cases: 'Dine sager',
  case_phase_events: 'Sagernes faser',
  assessments: 'Udredninger',
  assessment_conditions: 'Udredning: funktionsevne',
  assessment_accounts: 'Udredning: beskrivelser',
  goals: 'Mål',
  goal_events: 'Mål: ændringer og noter',
  services: 'Ydelser',
  service_goals: 'Ydelsernes mål',
  service_events: 'Ydelsernes historik',
  provider_plans: 'Leverandørens planer',
  follow_ups: 'Opfølgninger',
  follow_up_ratings: 'Vurderinger ved opfølgning (GAS)',
  measurements: 'Målinger (fx WHO-5)',
  action_plans: 'Handleplaner (§ 141)',
  goal_offer_links: 'Fællesskabstilbud knyttet til dine mål',
  consents: 'Samtykker',
  audit_events: 'Log over opslag og ændringer',
};

const shown = (v: unknown): string => {
  if (v === null || v === undefined || v === '') return '–';
  if (typeof v === 'object') return JSON.stringify(v);
  return String(v);
};

/** A readable PDF of the same data: one section per table, one block per row, every field. */
export function myDataPdf(
  data: MyData,
  who: { name: string; municipality: string; exportedAt: Date },
): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({
      size: 'A4',
      margin: 50,
      info: { Title: `Mine data i Retning – ${who.name}`, Author: who.municipality, Creator: 'Retning' },
      lang: 'da-DK',
    });
    const chunks: Buffer[] = [];
    doc.on('data', (c: Buffer) => chunks.push(c));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.font('Helvetica-Bold').fontSize(20).text('Mine data i Retning');
    doc
      .font('Helvetica')
      .fontSize(11)
      .moveDown(0.5)
      .text(`${who.name} · ${who.municipality}`)
      .text(`Udtrukket ${who.exportedAt.toISOString().slice(0, 16).replace('T', ' ')} (UTC)`)
      .moveDown(0.5)
      .text(
        'Her er alt, hvad Retning gemmer om dig, også det, medarbejdere har skrevet, og hvem der har slået op i ' +
          'dine oplysninger. Den samme udtrækning findes som JSON til andre systemer.',
      );
    const tables = Object.keys(data).sort(
      (a, b) => (TITLES[a] ? 0 : 1) - (TITLES[b] ? 0 : 1) || a.localeCompare(b),
    );
    for (const table of tables) {
      const rows = data[table] ?? [];
      doc
        .moveDown(1)
        .font('Helvetica-Bold')
        .fontSize(14)
        .text(`${TITLES[table] ?? table} (${rows.length})`);
      doc.font('Helvetica').fontSize(9);
      if (!rows.length) doc.text('Ingen.');
      for (const r of rows) {
        doc.moveDown(0.4);
        for (const [k, v] of Object.entries(r)) doc.text(`${k}: ${shown(v)}`);
      }
    }
    doc.end();
  });
}
