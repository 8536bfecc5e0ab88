import { randomUUID } from 'node:crypto';
import { eq, sql } from 'drizzle-orm';
import { addDays, addMonths, danishDate } from '../../../shared/domain/dates';
import { snapshots } from '../../modules/plans/plans.service';
import type { Reference } from '../../modules/reference/reference';
import { hashPassword } from '../../platform/auth/passwords';
import { rowsOf, type Tx } from '../../platform/tenancy';
import type { Database } from '../client';
import {
  actionPlans,
  catalogueItems,
  citizenNarratives,
  citizens,
  communityOffers,
  comparisonGroups,
  consents,
  goalProposals,
  messages,
  messageThreads,
  municipalities,
  municipalityInstruments,
  networkMemberRevisions,
  networkMembers,
  orgUnits,
  representations,
  roleAssignments,
  users,
} from '../schema';
import { DEMO_CITIZENS, DEMO_PASSWORD, DEMO_RELATIVES } from './demo-logins';
import { nationalMunicipalities } from './national';
import { importGeneratedMunicipality } from './national-import';
import { asOwner } from './owner';
import { DEMO_OFFERS, demoGoLive, generatePathways, insertPathways } from './pathways';
import { prng } from './random';
import { type DemoLinks, seedSurveyDemo } from './survey';

const FIRST = [
  'Anne',
  'Mads',
  'Sofie',
  'Jens',
  'Ida',
  'Mikkel',
  'Freja',
  'Rasmus',
  'Laura',
  'Kasper',
  'Emma',
  'Nikolaj',
  'Camilla',
  'Thomas',
  'Julie',
  'Martin',
  'Louise',
  'Christian',
  'Sara',
  'Anders',
  'Maja',
  'Jakob',
  'Cecilie',
  'Peter',
];
const LAST = [
  'Jensen',
  'Nielsen',
  'Hansen',
  'Pedersen',
  'Andersen',
  'Christensen',
  'Larsen',
  'Sørensen',
  'Rasmussen',
  'Jørgensen',
  'Petersen',
  'Madsen',
  'Kristensen',
  'Olsen',
  'Thomsen',
  'Poulsen',
  'Johansen',
  'Møller',
  'Mortensen',
];
const STREETS = ['Engvej', 'Skolegade', 'Møllevej', 'Kirkestræde', 'Havnegade', 'Birkealle', 'Søndergade'];
const HOPES = [
  'Jeg drømmer om at få mit eget sted at bo igen, hvor jeg kan have en hund.',
  'Jeg vil gerne tilbage på arbejdsmarkedet, måske i et køkken, hvor der ikke er for meget larm.',
  'Jeg håber, at jeg kan se mine børn hver anden weekend og lave mad sammen med dem.',
  'Jeg ønsker at kunne tage bussen alene og komme til svømning om tirsdagen.',
  'Jeg vil gerne tage en uddannelse som pædagogisk assistent.',
  'Mit største ønske er at få nogle venner, jeg kan ringe til, når det er svært.',
  'Jeg drømmer om at male igen og måske udstille på biblioteket.',
  'Jeg vil gerne kunne sove om natten og have mere overskud om dagen.',
];
const RESOURCES = [
  'Jeg er god til at lave mad og kan lide at gå lange ture.',
  'Jeg er stædig på den gode måde, og jeg giver ikke op.',
  'Jeg har en søster, der altid støtter mig, og jeg er god til computere.',
  'Jeg kan godt lide at hjælpe andre og har tidligere arbejdet i en børnehave.',
  'Jeg spiller guitar og har humor.',
];
const NETWORK = [
  { relation: 'Mor', helpsWith: 'Ringer hver søndag og hjælper med indkøb.' },
  { relation: 'Bror', helpsWith: 'Kører mig til lægen.' },
  { relation: 'Ven', helpsWith: 'Går ture med mig.' },
  { relation: 'Nabo', helpsWith: 'Tager posten, når jeg er indlagt.' },
  { relation: 'Kontaktperson i jobcentret', helpsWith: 'Praktik og afklaring.' },
  { relation: 'Søster', helpsWith: 'Hjælper med økonomi og breve fra kommunen.' },
];

/** A fictional CPR (valid date and century digit; never a real person's by intent: all data here is invented). */
function fictionalCpr(rnd: () => number, used: Set<string>): string {
  for (;;) {
    const year = 1950 + Math.floor(rnd() * 52);
    const month = 1 + Math.floor(rnd() * 12);
    const day = 1 + Math.floor(rnd() * 28);
    const seq = String(Math.floor(rnd() * 4)) + String(Math.floor(rnd() * 1000)).padStart(3, '0');
    const pad = (n: number) => String(n).padStart(2, '0');
    const cpr = `${pad(day)}${pad(month)}${pad(year % 100)}${seq}`;
    if (!used.has(cpr)) {
      used.add(cpr);
      return cpr;
    }
  }
}

interface SeedMunicipality {
  code: string;
  name: string;
  citizens: number;
  units: {
    key: string;
    name: string;
    kind: 'myndighed' | 'tilbud' | 'team' | 'partner';
    parent?: string;
    providerType?: string;
  }[];
  users: { username: string; displayName: string; grants: [string, string][] }[];
  /** Which unit delivers each paragraph's services in the seeded pathways. */
  providers: Record<string, string>;
  /** Went live with its running cases brought over (demoGoLive): its key figures start there. */
  goLive?: boolean;
  /** Citizens who log in to the portal through the demo broker (DEMO_CITIZENS). */
  portalCitizens?: readonly { cpr: string; firstName: string; lastName: string }[];
}

const DEMO: SeedMunicipality[] = [
  {
    code: '999',
    name: 'Demo Kommune',
    citizens: 240,
    goLive: true,
    portalCitizens: DEMO_CITIZENS,
    units: [
      { key: 'myn', name: 'Myndighed Socialpsykiatri', kind: 'myndighed' },
      { key: 'bos', name: 'Bostøtte Nord', kind: 'tilbud', providerType: 'Socialpædagogisk støtte (§ 85)' },
      {
        key: 'bot',
        name: 'Botilbud Engparken',
        kind: 'tilbud',
        providerType: 'Midlertidigt botilbud (§ 107)',
      },
      {
        key: 'k82',
        name: '§ 82-teamet',
        kind: 'tilbud',
        providerType: 'Tidlig forebyggende indsats (§ 82 a-b)',
      },
      {
        key: 'akt',
        name: 'Værestedet Kilden',
        kind: 'tilbud',
        providerType: 'Aktivitets- og samværstilbud (§ 104)',
      },
      {
        key: 'lb',
        name: 'Bofællesskabet Lærken',
        kind: 'tilbud',
        providerType: 'Længerevarende botilbud (§ 108)',
      },
      { key: 'tnord', name: 'Team Nord', kind: 'team', parent: 'bos' },
      // Partner organisations outside the municipality's social psychiatry (issue 14): they see a citizen
      // only through that citizen's consent.
      { key: 'job', name: 'Jobcenter Demo Kommune', kind: 'partner', providerType: 'Jobcenter' },
      {
        key: 'psyk',
        name: 'Distriktspsykiatrien Demo',
        kind: 'partner',
        providerType: 'Regional psykiatri',
      },
    ],
    providers: {
      'SEL §85': 'bos',
      'SEL §82a': 'k82',
      'SEL §82b': 'k82',
      'SEL §104': 'akt',
      'SEL §107': 'bot',
      'SEL §108': 'lb',
    },
    users: [
      { username: 'sagsbehandler', displayName: 'Mette Lund', grants: [['sagsbehandler', 'myn']] },
      { username: 'sagsbehandler2', displayName: 'Jonas Holm', grants: [['sagsbehandler', 'myn']] },
      { username: 'udfoerer', displayName: 'Amira Hansen', grants: [['udfoerer', 'bos']] },
      { username: 'leder', displayName: 'Lars Mikkelsen', grants: [['leder', 'myn']] },
      { username: 'analytiker', displayName: 'Sofie Berg', grants: [['analytiker', 'myn']] },
      { username: 'admin', displayName: 'Peter Nørgaard', grants: [['administrator', 'myn']] },
      { username: 'kontaktperson', displayName: 'Hanne Winther', grants: [['kontaktperson', 'myn']] },
      { username: 'jobcenter', displayName: 'Sara Nielsen', grants: [['partner', 'job']] },
    ],
  },
  {
    code: '998',
    name: 'Prøve Kommune',
    citizens: 6,
    goLive: true,
    units: [
      { key: 'myn', name: 'Myndighed Voksen', kind: 'myndighed' },
      { key: 'bos', name: 'Bostøtten', kind: 'tilbud', providerType: 'Socialpædagogisk støtte (§ 85)' },
    ],
    providers: {
      'SEL §85': 'bos',
      'SEL §82a': 'bos',
      'SEL §82b': 'bos',
      'SEL §104': 'bos',
      'SEL §107': 'bos',
      'SEL §108': 'bos',
    },
    users: [
      { username: 'proeve.sagsbehandler', displayName: 'Karen Dahl', grants: [['sagsbehandler', 'myn']] },
      { username: 'proeve.admin', displayName: 'Ole Friis', grants: [['administrator', 'myn']] },
    ],
  },
];

async function seedOne(
  tx: Tx,
  ref: Reference,
  m: SeedMunicipality,
  municipalityId: string,
  passwordHash: string,
  seed: number,
) {
  const rnd = prng(seed);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const unitIds: Record<string, string> = {};
  for (const u of m.units) unitIds[u.key] = randomUUID();
  for (const u of m.units) {
    await tx.insert(orgUnits).values({
      id: unitIds[u.key],
      municipalityId,
      name: u.name,
      kind: u.kind,
      parentId: u.parent ? unitIds[u.parent] : null,
      providerType: u.providerType ?? null,
    });
  }
  const caseworkers: string[] = [];
  let staffWriter = '';
  let providerUserId: string | null = null;
  const seededCitizens: { id: string; caseworkerId: string | null }[] = [];
  for (const u of m.users) {
    const id = randomUUID();
    await tx
      .insert(users)
      .values({ id, municipalityId, username: u.username, displayName: u.displayName, passwordHash });
    for (const [role, unit] of u.grants) {
      await tx.insert(roleAssignments).values({ municipalityId, userId: id, unitId: unitIds[unit]!, role });
      if (role === 'sagsbehandler') caseworkers.push(id);
      if (role === 'udfoerer' || (!staffWriter && role === 'sagsbehandler')) staffWriter = id;
      if (role === 'udfoerer') providerUserId = id;
    }
  }
  const used = new Set<string>();
  const providerUnits = m.units.filter((u) => u.kind === 'tilbud').map((u) => unitIds[u.key]!);
  for (let i = 0; i < m.citizens; i++) {
    const id = randomUUID();
    const firstName = pick(FIRST);
    const lastName = pick(LAST);
    seededCitizens.push({ id, caseworkerId: caseworkers[i % caseworkers.length] ?? null });
    await tx.insert(citizens).values({
      id,
      municipalityId,
      cpr: fictionalCpr(rnd, used),
      firstName,
      lastName,
      phone: `+45 ${20 + Math.floor(rnd() * 70)} ${String(Math.floor(rnd() * 1000000)).padStart(6, '0')}`,
      email: null,
      address: `${pick(STREETS)} ${1 + Math.floor(rnd() * 80)}`,
      postalCode: '9999',
      city: m.name.replace(' Kommune', 'by'),
      responsibleCaseworkerId: caseworkers[i % caseworkers.length] ?? null,
      responsibleUnitId: rnd() < 0.85 ? pick(providerUnits) : null,
    });
    const writtenBy = rnd() < 0.6 ? 'citizen' : 'staff_on_behalf';
    await tx.insert(citizenNarratives).values({
      municipalityId,
      citizenId: id,
      kind: 'hopes',
      version: 1,
      body: pick(HOPES),
      writtenBy,
      authorUserId: staffWriter,
    });
    if (rnd() < 0.8) {
      await tx.insert(citizenNarratives).values({
        municipalityId,
        citizenId: id,
        kind: 'resources',
        version: 1,
        body: pick(RESOURCES),
        writtenBy,
        authorUserId: staffWriter,
      });
    }
    const networkSize = Math.floor(rnd() * 4);
    for (let n = 0; n < networkSize; n++) {
      const memberId = randomUUID();
      const who = pick(NETWORK);
      await tx.insert(networkMembers).values({ id: memberId, municipalityId, citizenId: id });
      await tx.insert(networkMemberRevisions).values({
        municipalityId,
        memberId,
        revision: 1,
        name: `${pick(FIRST)} ${pick(LAST)}`,
        relation: who.relation,
        helpsWith: who.helpsWith,
        contactConsent: pick(['yes', 'no', 'not_asked'] as const),
        writtenBy: 'citizen',
        authorUserId: staffWriter,
      });
    }
  }
  // The municipality's own catalogue and directory, then a pathway for most citizens.
  const offers = await tx
    .insert(communityOffers)
    .values(DEMO_OFFERS.map((o) => ({ ...o, municipalityId })))
    .returning({ id: communityOffers.id });
  await tx.insert(catalogueItems).values([
    ...ref.ofKind(ref.current('methods').key, 'method').map((x) => ({
      municipalityId,
      kind: 'method',
      code: x.code,
      name: x.display,
      description: x.definition,
    })),
    ...LOCAL_SERVICES.map((x) => ({
      ...x,
      municipalityId,
      kind: 'local_service',
      paragraphList: ref.current('serviceloven').key,
      providerUnitId: unitIds[m.providers[x.paragraphCode]!]!,
    })),
  ]);
  await tx.insert(municipalityInstruments).values({ municipalityId, instrumentKey: 'ORS' });
  const rows = generatePathways(ref, {
    municipalityId,
    today: danishDate(new Date()),
    rnd,
    citizens: seededCitizens,
    authorityUnitId: unitIds.myn!,
    caseworkers,
    providers: Object.fromEntries(Object.entries(m.providers).map(([p, key]) => [p, unitIds[key]!])),
    providerUserId,
    offers: offers.map((o) => o.id),
  });
  // A shared plan holds its goals and services as they were when it was shared, taken as the app takes them:
  // the plans go in as drafts, and are shared once their goals and services are there (a shared plan is
  // immutable).
  const shared = rows.plans.filter((x) => x.status === 'shared').map((p) => ({ ...p }));
  for (const p of rows.plans)
    if (p.status === 'shared') Object.assign(p, { status: 'draft', sharedAt: null, sharedBy: null });
  await insertPathways(tx, rows);
  for (const p of shared)
    await tx
      .update(actionPlans)
      .set({
        status: 'shared',
        sharedAt: p.sharedAt,
        sharedBy: p.sharedBy,
        ...(await snapshots(tx, ref, { id: p.caseId })),
      })
      .where(sql`${actionPlans.caseId} = ${p.caseId} and ${actionPlans.version} = ${p.version}`);
  if (m.portalCitizens) {
    const portal = await namePortalCitizens(tx, m.portalCitizens);
    await seedConsents(tx, municipalityId, portal, unitIds, caseworkers[0] ?? null);
    await seedPortalLife(tx, municipalityId, portal);
  }
}

/**
 * What a newcomer sees on both sides of the portal (issue 14, item 11): the first citizen's mother acts for
 * her; the first two citizens have written to their caseworker and provider, and been answered; proposals
 * for goals wait on the caseworker's worklist, and earlier ones were taken in or answered. Dates are
 * relative to today, so the demo looks alive on any day it is started.
 */
async function seedPortalLife(tx: Tx, municipalityId: string, portal: string[]) {
  const now = Date.now();
  const daysAgo = (d: number, hour = 10) => {
    const at = new Date(now - d * 86_400_000);
    at.setUTCHours(hour - 1, 17, 0, 0);
    return at;
  };
  const today = danishDate(new Date(now));
  const [line, jonas] = portal as [string, string, string];
  const relative = DEMO_RELATIVES[0];
  const [hanne] = await tx
    .insert(representations)
    .values({
      municipalityId,
      citizenId: portal[relative.forCitizen]!,
      representativeCpr: relative.cpr,
      representativeName: relative.name,
      relation: relative.relation,
      scopes: [...relative.scopes],
      validFrom: addDays(today, -40),
      validUntil: addMonths(addDays(today, -40), 12),
      givenHow: 'portal',
      createdAt: daysAgo(40),
    })
    .returning({ id: representations.id });
  const caseOf = async (citizenId: string) => {
    const [k] = rowsOf<{ id: string; unit: string; caseworker: string | null; provider: string | null }>(
      await tx.execute(sql`
        select k.id, k.authority_unit_id as unit, coalesce(k.caseworker_id, c.responsible_caseworker_id) as caseworker,
               (select s.provider_unit_id from services s where s.case_id = k.id and s.status = 'active'
                 order by s.start_on limit 1) as provider
          from cases k join citizens c on c.id = k.citizen_id
         where k.citizen_id = ${citizenId} and k.phase <> 'closed' order by k.opened_on desc limit 1`),
    );
    return k!;
  };
  const staffOf = async (unitId: string) => {
    const [u] = rowsOf<{ id: string }>(
      await tx.execute(sql`select user_id as id from role_assignments where unit_id = ${unitId}
                            and role in ('sagsbehandler','udfoerer') order by user_id limit 1`),
    );
    return u?.id ?? null;
  };
  const conversation = async (
    citizenId: string,
    caseId: string,
    unitId: string,
    subject: string,
    lines: {
      from: 'citizen' | 'representative' | 'staff';
      body: string;
      daysAgo: number;
      hour: number;
      read: boolean;
    }[],
  ) => {
    const staffId = await staffOf(unitId);
    const [th] = await tx
      .insert(messageThreads)
      .values({
        municipalityId,
        citizenId,
        caseId,
        unitId,
        subject,
        createdAt: daysAgo(lines[0]!.daysAgo, lines[0]!.hour),
      })
      .returning({ id: messageThreads.id });
    for (const l of lines)
      await tx.insert(messages).values({
        municipalityId,
        citizenId,
        threadId: th!.id,
        body: l.body,
        sender: l.from,
        senderUserId: l.from === 'staff' ? staffId : null,
        representationId: l.from === 'representative' ? hanne!.id : null,
        createdAt: daysAgo(l.daysAgo, l.hour),
        readAt: l.read ? daysAgo(l.daysAgo, l.hour + 2) : null,
      });
  };
  const lk = await caseOf(line);
  const jk = await caseOf(jonas);
  await conversation(line, lk.id, lk.unit, 'Mødet i næste uge', [
    {
      from: 'citizen',
      body: 'Hej. Kan vi flytte vores møde til om eftermiddagen? Jeg sover dårligt for tiden og har svært ved at komme op.',
      daysAgo: 3,
      hour: 21,
      read: true,
    },
    {
      from: 'staff',
      body: 'Hej Line. Det kan vi godt. Passer torsdag kl. 13.30 hos dig? Skriv gerne, hvis du vil tale om søvnen, når vi ses.',
      daysAgo: 2,
      hour: 9,
      read: false,
    },
  ]);
  if (lk.provider)
    await conversation(line, lk.id, lk.provider, 'Indkøb på fredag', [
      {
        from: 'representative',
        body: 'Hej. Jeg er Lines mor. Line er syg i dag og kan ikke nå at handle med jer på fredag. Kan I flytte det til mandag?',
        daysAgo: 6,
        hour: 8,
        read: true,
      },
      {
        from: 'staff',
        body: 'Tak for beskeden. Vi kommer mandag kl. 10 i stedet. God bedring til Line.',
        daysAgo: 6,
        hour: 11,
        read: true,
      },
    ]);
  await conversation(jonas, jk.id, jk.unit, 'Spørgsmål om min plan', [
    {
      from: 'citizen',
      body: 'Jeg har læst min plan. Hvad betyder "indsatsformål"? Og hvem skal jeg ringe til, hvis jeg har brug for hjælp i weekenden?',
      daysAgo: 1,
      hour: 16,
      read: false,
    },
  ]);
  const caseworkerOf = async (k: { unit: string; caseworker: string | null }) =>
    k.caseworker ?? (await staffOf(k.unit));
  const goalOf = async (citizenId: string) =>
    rowsOf<{ id: string; title: string }>(
      await tx.execute(sql`select id, title from goals where citizen_id = ${citizenId} and kind = 'citizen_goal'
                            and status in ('proposed','active') order by created_at limit 1`),
    )[0];
  const lineGoal = await goalOf(line);
  await tx.insert(goalProposals).values([
    {
      municipalityId,
      citizenId: line,
      caseId: lk.id,
      goalId: null,
      words: 'Jeg vil gerne begynde at svømme igen, ligesom før jeg blev syg',
      createdAt: daysAgo(4, 20),
    },
    {
      municipalityId,
      citizenId: line,
      caseId: lk.id,
      goalId: lineGoal?.id ?? null,
      words: 'Jeg vil gerne selv kunne handle ind en gang om ugen',
      representationId: hanne!.id,
      createdAt: daysAgo(12, 19),
    },
    {
      municipalityId,
      citizenId: jonas,
      caseId: jk.id,
      goalId: null,
      words: 'Flytte til Aarhus og læse til tømrer',
      status: 'answered',
      answer:
        'Det er et godt mål at arbejde hen imod. Lad os tale om, hvad der skal til, når vi ses til opfølgningen, så vi kan tage de første skridt sammen.',
      answeredAt: daysAgo(8, 11),
      answeredBy: await caseworkerOf(jk),
      createdAt: daysAgo(10, 18),
    },
  ]);
}

const demoEmail = (w: { firstName: string; lastName: string }) =>
  `${w.firstName}.${w.lastName}@eksempel.dk`
    .toLowerCase()
    .replaceAll('æ', 'ae')
    .replaceAll('ø', 'oe')
    .replaceAll('å', 'aa')
    .replaceAll(' ', '.');

/**
 * Gives the portal's demo citizens (who log in through the demo broker) to citizens whose pathway shows the
 * portal at its fullest: an open case with a shared plan, a goal of their own and a service in progress with
 * a follow-up ahead.
 */
async function namePortalCitizens(tx: Tx, who: NonNullable<SeedMunicipality['portalCitizens']>) {
  const picked = rowsOf<{ id: string }>(
    await tx.execute(sql`
      select c.id from citizens c
       where exists (select 1 from action_plans p join cases k on k.id = p.case_id
                      where p.citizen_id = c.id and p.status = 'shared' and k.phase <> 'closed')
         and (select count(*) from goals g where g.citizen_id = c.id and g.kind = 'citizen_goal'
                and g.status in ('proposed','active')) >= 1
         and exists (select 1 from services s where s.citizen_id = c.id and s.status = 'active'
                       and coalesce(s.agreed_next_on, s.next_follow_up_on) >= current_date)
         -- A provider with staff who answer messages (the demo's conversations with the provider).
         and exists (select 1 from services s join role_assignments r on r.unit_id = s.provider_unit_id
                      where s.citizen_id = c.id and s.status = 'active' and r.role = 'udfoerer')
       -- Citizens of the demo's first caseworker first, so logging in as "sagsbehandler" shows their words.
       order by c.responsible_caseworker_id is distinct from
                  (select u.id from users u where u.username = 'sagsbehandler'),
                c.last_name, c.first_name, c.id
       limit ${who.length}`),
  );
  if (picked.length < who.length) throw new Error('the demo has too few citizens with a shared plan');
  for (const [i, p] of picked.entries()) {
    const w = who[i]!;
    await tx
      .update(citizens)
      // An address, so the demo's outbox shows the content-free notice of a new message.
      .set({ cpr: w.cpr, firstName: w.firstName, lastName: w.lastName, email: demoEmail(w) })
      .where(sql`${citizens.id} = ${p.id}`);
  }
  return picked.map((p) => p.id);
}

/**
 * Consents in place for the portal's demo: the first citizen let the jobcenter see her goals and contact
 * details (given in the portal), the third gave the district psychiatry her plan and measurements on paper.
 */
async function seedConsents(
  tx: Tx,
  municipalityId: string,
  portalCitizens: string[],
  unitIds: Record<string, string>,
  caseworker: string | null,
) {
  const today = danishDate(new Date());
  await tx.insert(consents).values([
    {
      municipalityId,
      citizenId: portalCitizens[0]!,
      partnerUnitId: unitIds.job!,
      scopes: ['contact', 'goals'],
      lifeAreas: [],
      purpose: 'Afklaring af job med støtte (ressourceforløb)',
      validFrom: addDays(today, -21),
      validUntil: addMonths(addDays(today, -21), 6),
      givenHow: 'portal',
    },
    {
      municipalityId,
      citizenId: portalCitizens[2]!,
      partnerUnitId: unitIds.psyk!,
      scopes: ['measures', 'plan'],
      lifeAreas: [],
      purpose: 'Sammenhæng mellem behandling og støtte',
      validFrom: addDays(today, -60),
      validUntil: addMonths(addDays(today, -60), 12),
      givenHow: 'paper',
      recordedBy: caseworker,
    },
  ]);
}

const LOCAL_SERVICES = [
  {
    code: 'BOSTOETTE',
    name: 'Bostøtte i eget hjem',
    paragraphCode: 'SEL §85',
    priceAmount: '465.00',
    priceUnit: 'hour',
  },
  {
    code: 'FORLOEB-82B',
    name: 'Kort forløb (op til 6 mdr.)',
    paragraphCode: 'SEL §82b',
    priceAmount: '465.00',
    priceUnit: 'hour',
  },
  {
    code: 'VAERESTED',
    name: 'Værestedet Kilden',
    paragraphCode: 'SEL §104',
    priceAmount: '3500.00',
    priceUnit: 'month',
  },
  {
    code: 'BOTILBUD-107',
    name: 'Midlertidigt botilbud, plads',
    paragraphCode: 'SEL §107',
    priceAmount: '48000.00',
    priceUnit: 'month',
  },
];

/** Seeds the fictional demo municipalities once; returns false when they already exist. */
export async function seedDemo(database: Database, ref: Reference, links: DemoLinks): Promise<boolean> {
  const { db } = database;
  const passwordHash = await hashPassword(DEMO_PASSWORD);
  let seeded = false;
  for (const [i, m] of DEMO.entries()) {
    const id = randomUUID();
    await asOwner(db, id, async (tx) => {
      // The unique code decides "already seeded" without reading other tenants' rows.
      const inserted = await tx
        .insert(municipalities)
        .values({
          id,
          code: m.code,
          name: m.name,
          keyFiguresFrom: m.goLive ? demoGoLive(danishDate(new Date())) : null,
        })
        .onConflictDoNothing({ target: municipalities.code })
        .returning({ id: municipalities.id });
      if (!inserted.length) return;
      await seedOne(tx, ref, m, id, passwordHash, 20260 + i);
      seeded = true;
    });
  }
  if (seeded) {
    await seedSurveyDemo(db, passwordHash, links, danishDate(new Date()));
    await seedNeighbours(database, ref, danishDate(new Date()));
  }
  return seeded;
}

/**
 * Five fictional neighbour municipalities with three years of generated pathways, loaded through the
 * importer, and a comparison group in Demo Kommune of them and itself (Prøve Kommune counts in the country
 * only): so the dashboard has a group and a country to compare with. Their accounts cannot log in. Like Demo
 * Kommune, they publish key figures from the demo's go-live: their first year builds up the caseload.
 */
async function seedNeighbours(database: Database, ref: Reference, today: string): Promise<void> {
  const { db } = database;
  const neighbours = nationalMunicipalities({ citizens: 360, count: 5 });
  const ids: string[] = [];
  for (const m of neighbours) {
    const { id } = await importGeneratedMunicipality({ db, database }, ref, m, { today, years: 3 });
    await asOwner(db, id, (tx) =>
      tx
        .update(municipalities)
        .set({ keyFiguresFrom: demoGoLive(today) })
        .where(eq(municipalities.id, id)),
    );
    ids.push(id);
  }
  const byCode = rowsOf<{ id: string; code: string }>(
    await db.execute(sql`select id, code from municipality_ids_by_code(array['999'])`),
  );
  const demo = byCode.find((r) => r.code === '999')!.id;
  await asOwner(db, demo, (tx) =>
    tx.insert(comparisonGroups).values({
      municipalityId: demo,
      name: 'Naboer af vores størrelse',
      members: [demo, ...ids],
    }),
  );
}
