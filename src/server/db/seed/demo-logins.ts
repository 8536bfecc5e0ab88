/** Fictional demo accounts, shown at start and on the login page in demo mode only. */
export const DEMO_PASSWORD = 'retning-demo-2026';

export const DEMO_LOGINS = [
  {
    username: 'sagsbehandler',
    displayName: 'Mette Lund',
    role: 'sagsbehandler',
    municipality: 'Demo Kommune',
  },
  { username: 'udfoerer', displayName: 'Amira Hansen', role: 'udfoerer', municipality: 'Demo Kommune' },
  { username: 'leder', displayName: 'Lars Mikkelsen', role: 'leder', municipality: 'Demo Kommune' },
  { username: 'analytiker', displayName: 'Sofie Berg', role: 'analytiker', municipality: 'Demo Kommune' },
  { username: 'admin', displayName: 'Peter Nørgaard', role: 'administrator', municipality: 'Demo Kommune' },
  {
    username: 'kontaktperson',
    displayName: 'Hanne Winther',
    role: 'kontaktperson',
    municipality: 'Demo Kommune',
  },
  {
    username: 'jobcenter',
    displayName: 'Sara Nielsen',
    role: 'partner',
    municipality: 'Jobcenter Demo Kommune',
  },
  {
    username: 'skemaadmin',
    displayName: 'Birgitte Skov',
    role: 'skemaadministrator',
    municipality: 'Social- og Boligstyrelsen (demo)',
  },
  {
    username: 'proeve.sagsbehandler',
    displayName: 'Karen Dahl',
    role: 'sagsbehandler',
    municipality: 'Prøve Kommune',
  },
].map((l) => ({ ...l, password: DEMO_PASSWORD }));

/**
 * Fictional citizens of Demo Kommune who log in to the portal through the demo's MitID test broker (issue 14).
 * The seed gives these numbers and names to three citizens with a shared plan, goals and services. The CPR
 * numbers are fictional: their sequence digits (9xxx) are never generated for other demo citizens.
 */
export const DEMO_CITIZENS = [
  { cpr: '1207829012', firstName: 'Line', lastName: 'Kjær Madsen' },
  { cpr: '0309919034', firstName: 'Jonas', lastName: 'Brandt' },
  { cpr: '2511689051', firstName: 'Birthe', lastName: 'Sørensen' },
] as const;

/**
 * A relative who logs in with her own MitID and acts for the first portal citizen (her daughter), who gave her
 * access in the portal: to read, write her words and goals, and write messages (issue 14, item 9).
 */
export const DEMO_RELATIVES = [
  {
    cpr: '1506589043',
    name: 'Hanne Kjær Madsen',
    relation: 'min mor',
    forCitizen: 0,
    scopes: ['read', 'write', 'messages'],
  },
] as const;

/** Identities the demo broker offers besides the citizens: a login below the required assurance level. */
export const DEMO_OTHER_IDENTITIES = [
  { cpr: '0101909077', name: 'Testperson med lavt sikringsniveau', level: 'Low' as const },
  { cpr: '0202809088', name: 'Testperson uden sag i Demo Kommune', level: 'Substantial' as const },
];
