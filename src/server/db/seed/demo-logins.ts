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
