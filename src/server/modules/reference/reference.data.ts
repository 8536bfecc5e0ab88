import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';

/** The shipped reference data (data/), parsed into code lists. Pure: reads files, touches no database. */

export const DATA_DIR = path.resolve(import.meta.dirname, '../../../../data');

export interface CodeRow {
  code: string;
  parentCode: string | null;
  kind: string;
  display: string;
  definition: string;
  sortOrder: number;
  attrs: Record<string, unknown>;
}

export interface CodeListFile {
  key: string;
  system: string;
  version: string;
  title: string;
  source: string;
  checksum: string;
  codes: CodeRow[];
}

export interface InstrumentFile {
  key: string;
  version: string;
  checksum: string;
  definition: Record<string, unknown>;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
export const listKey = (system: string, version: string) => `${system}@${version}`;

/** The FFB category of a "FFB tilstande" path segment. */
const CATEGORY: Record<string, string> = {
  'Funktioner og forhold': 'function',
  'Aktivitet og deltagelse': 'activity',
  Omgivelsesfaktorer: 'environment',
};

/** "Visitationsparagraf: Serviceloven § 85" → "SEL §85" (the paragraph an FFB ydelse is granted under). */
function paragraphOf(definition: string): string | null {
  const m = /(?:Visitationsparagraf|Lovhjemmel)[^:]*:\s*Serviceloven §+\s*(\d+\s?[a-d]?)/i.exec(definition);
  return m ? `SEL §${m[1]!.replace(/\s/g, '')}` : null;
}

/** FFB: the TSV (code, path, definition) plus the ordinal convention for levels. */
export function parseFfb(dir: string, version: string): CodeListFile {
  const text = readFileSync(path.join(dir, 'codesystem.tsv'), 'utf8');
  const ordinalsText = readFileSync(path.join(dir, 'ordinals.json'), 'utf8');
  const ordinals = JSON.parse(ordinalsText) as {
    functioningLevel: Record<string, number>;
    supportNeed: Record<string, number>;
    followUpEnds: string[];
  };
  const rows = text
    .split('\n')
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [code, p, definition = ''] = l.split('\t');
      return { code: code!, segments: p!.split(' > '), definition };
    });
  const byPath = new Map(rows.map((r) => [r.segments.join(' > '), r.code]));
  const codes = rows.map((r, i): CodeRow => {
    const s = r.segments;
    const parentCode = s.length > 1 ? (byPath.get(s.slice(0, -1).join(' > ')) ?? null) : null;
    const attrs: Record<string, unknown> = {};
    let kind = 'group';
    if (s[0] === 'Social indsats' && s.length > 2) {
      kind = { Ydelse: 'ydelse', Tilbud: 'provider_type', Målgruppe: 'target_group' }[s[1]!] ?? 'group';
      const paragraph = kind === 'ydelse' ? paragraphOf(r.definition) : null;
      if (paragraph) attrs.paragraph = paragraph;
    } else if (s[0] === 'FFB tilstande' && s.length >= 3) {
      kind = s.length === 3 ? 'theme' : 'subtheme';
      attrs.category = CATEGORY[s[1]!];
    } else if (s[0] === 'FFB tilstande' && s.length === 2) {
      kind = 'category';
      attrs.category = CATEGORY[s[1]!];
    } else if (s.length === 2) {
      kind =
        {
          Støttebehovsniveau: 'support_need',
          'Status på indsats': 'follow_up_result',
          Måltype: 'goal_type',
          Funktionsevneniveau: 'functioning_level',
        }[s[0]!] ?? 'group';
      const ordinal =
        kind === 'functioning_level'
          ? ordinals.functioningLevel[r.code]
          : kind === 'support_need'
            ? ordinals.supportNeed[r.code]
            : undefined;
      if (ordinal !== undefined) attrs.ordinal = ordinal;
      if (kind === 'follow_up_result') attrs.ends = ordinals.followUpEnds.includes(r.code);
    }
    return {
      code: r.code,
      parentCode,
      kind,
      display: s[s.length - 1]!,
      definition: r.definition,
      sortOrder: i,
      attrs,
    };
  });
  return {
    key: listKey('ffb', version),
    system: 'ffb',
    version,
    title: `Fælles Faglige Begreber (FFB) ${version}`,
    source: 'hl7dk/kl-term input/vocabulary/CodeSystem-FFB.json',
    checksum: sha256(text + ordinalsText),
    codes,
  };
}

const CARESOCIAL_KIND: Record<string, string> = {
  Kilde: 'informant',
  'Begrundelse for indsatsophør': 'end_reason',
  'Mål/formål': 'goal_kind',
  evaluering: 'evaluation',
  Leveringstype: 'delivery_type',
};

/** KL CareSocialCodes: an indented "- uuid | display :: definition" tree; continuation lines extend a definition. */
export function parseCareSocial(file: string, version: string): CodeListFile {
  const text = readFileSync(file, 'utf8');
  const codes: CodeRow[] = [];
  const stack: { depth: number; code: string; rootKind: string }[] = [];
  for (const line of text.split('\n').slice(1)) {
    const m = /^( *)- ([0-9a-f-]{36}) \| (.*?) :: (.*)$/.exec(line);
    if (!m) {
      const last = codes[codes.length - 1];
      if (last && line.trim()) last.definition = `${last.definition}\n${line.trim()}`;
      continue;
    }
    const depth = m[1]!.length / 2;
    while (stack.length && stack[stack.length - 1]!.depth >= depth) stack.pop();
    const parent = stack[stack.length - 1];
    const rootKind = parent ? parent.rootKind : (CARESOCIAL_KIND[m[3]!] ?? 'other');
    codes.push({
      code: m[2]!,
      parentCode: parent?.code ?? null,
      kind: parent ? rootKind : 'group',
      display: m[3]!,
      definition: m[4]!,
      sortOrder: codes.length,
      attrs: {},
    });
    stack.push({ depth, code: m[2]!, rootKind });
  }
  return {
    key: listKey('kl-caresocial', version),
    system: 'kl-caresocial',
    version,
    title: `KL CareSocialCodes ${version}`,
    source: 'hl7dk/kl-term input/vocabulary/CodeSystem-CareSocialCodes.json',
    checksum: sha256(text),
    codes,
  };
}

interface ParagraphFile {
  system: string;
  version: string;
  title: string;
  source: string;
  steps: { step: number; name: string }[];
  paragraphs: {
    code: string;
    title: string;
    step: number;
    visitated: boolean;
    maxMonths: number | null;
    appealable: boolean;
    /** The FFB ydelser (codes of FFB version `ydelserFfb`) this paragraph may grant; absent: not checked. */
    ydelser?: string[];
  }[];
  ydelserFfb?: string;
}

/** Serviceloven paragraphs with their step on the step-down ladder, and the steps themselves. */
export function parseParagraphs(file: string): CodeListFile {
  const text = readFileSync(file, 'utf8');
  const f = JSON.parse(text) as ParagraphFile;
  const steps = f.steps.map(
    (s, i): CodeRow => ({
      code: `step-${s.step}`,
      parentCode: null,
      kind: 'ladder_step',
      display: s.name,
      definition: '',
      sortOrder: i,
      attrs: { step: s.step },
    }),
  );
  const paragraphs = f.paragraphs.map(
    (p, i): CodeRow => ({
      code: p.code,
      parentCode: `step-${p.step}`,
      kind: 'paragraph',
      display: p.title,
      definition: '',
      sortOrder: steps.length + i,
      attrs: {
        step: p.step,
        visitated: p.visitated,
        maxMonths: p.maxMonths,
        appealable: p.appealable,
        ...(p.ydelser ? { ydelser: p.ydelser, ydelserFfb: f.ydelserFfb } : {}),
      },
    }),
  );
  return {
    key: listKey(f.system, f.version),
    system: f.system,
    version: f.version,
    title: f.title,
    source: f.source,
    checksum: sha256(text),
    codes: [...steps, ...paragraphs],
  };
}

export function parseMethods(file: string): CodeListFile {
  const text = readFileSync(file, 'utf8');
  const f = JSON.parse(text) as {
    system: string;
    version: string;
    title: string;
    source: string;
    methods: { code: string; name: string; description: string }[];
  };
  return {
    key: listKey(f.system, f.version),
    system: f.system,
    version: f.version,
    title: f.title,
    source: f.source,
    checksum: sha256(text),
    codes: f.methods.map((m, i) => ({
      code: m.code,
      parentCode: null,
      kind: 'method',
      display: m.name,
      definition: m.description,
      sortOrder: i,
      attrs: {},
    })),
  };
}

const jsonFiles = (dir: string) =>
  readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort();
const dirs = (dir: string) =>
  readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory())
    .map((d) => d.name)
    .sort();

/** Every code list version shipped in the data directory. */
export function readCodeLists(dataDir = DATA_DIR): CodeListFile[] {
  return [
    ...dirs(path.join(dataDir, 'ffb')).map((v) => parseFfb(path.join(dataDir, 'ffb', v), v)),
    ...dirs(path.join(dataDir, 'kl-caresocial')).map((v) =>
      parseCareSocial(path.join(dataDir, 'kl-caresocial', v, 'codes.txt'), v),
    ),
    ...jsonFiles(path.join(dataDir, 'serviceloven')).map((f) =>
      parseParagraphs(path.join(dataDir, 'serviceloven', f)),
    ),
    ...jsonFiles(path.join(dataDir, 'methods')).map((f) => parseMethods(path.join(dataDir, 'methods', f))),
  ];
}

export function readInstruments(dataDir = DATA_DIR): InstrumentFile[] {
  return jsonFiles(path.join(dataDir, 'instruments')).map((f) => {
    const text = readFileSync(path.join(dataDir, 'instruments', f), 'utf8');
    const definition = JSON.parse(text) as Record<string, unknown> & { key: string; version: string };
    return { key: definition.key, version: definition.version, checksum: sha256(text), definition };
  });
}
