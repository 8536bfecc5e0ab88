import {
  Badge,
  Button,
  Card,
  Group,
  Select,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  TextInput,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { AGREEMENT_HOW, PARTICIPANT_KINDS, PLAN_OFFER, PLAN_TEXT_FIELDS } from '../../../shared/pathway';
import { get, post, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDate, formatDateTime, orNull } from '../../components/forms';
import { SavedNotice } from '../../components/notice';
import { PlanDocument } from './plan-document';
import type { PlanView } from './plan-print-page';

export interface Plan {
  id: string;
  version: number;
  status: 'draft' | 'shared';
  purpose: string;
  servicesNeeded: string;
  expectedDuration: string;
  housing: string;
  employment: string;
  personalHelp: string;
  treatment: string;
  aids: string;
  offer: string;
  offeredOn: string | null;
  agreementOn: string | null;
  agreementHow: string | null;
  agreementNote: string;
  participants: { kind: string; name: string; responsibility: string }[];
  rowVersion: number;
  sharedAt: string | null;
}

type Participant = Plan['participants'][number] & { key: string };
type Editable = Omit<Plan, 'id' | 'version' | 'status' | 'rowVersion' | 'sharedAt' | 'participants'> & {
  participants: Participant[];
};
let participantSeq = 0;
const withKey = (p: Plan['participants'][number]): Participant => ({ ...p, key: `p${participantSeq++}` });
const blank: Editable = {
  purpose: '',
  servicesNeeded: '',
  expectedDuration: '',
  housing: '',
  employment: '',
  personalHelp: '',
  treatment: '',
  aids: '',
  offer: 'offered',
  offeredOn: null,
  agreementOn: null,
  agreementHow: null,
  agreementNote: '',
  participants: [],
};

function PlanEditor({
  caseId,
  draft,
  base,
  onDone,
}: {
  caseId: string;
  draft: Plan | null;
  base: Plan | null;
  onDone: () => void;
}) {
  const { t } = useTranslation();
  const start = draft ?? base;
  const [v, setV] = useState<Editable>(
    start ? { ...blank, ...start, participants: start.participants.map(withKey) } : blank,
  );
  const set = <K extends keyof Editable>(k: K, value: Editable[K]) => setV((x) => ({ ...x, [k]: value }));
  const save = useMutation({
    mutationFn: () =>
      put<Plan>(`/api/cases/${caseId}/plan`, {
        ...v,
        participants: v.participants.map(({ key: _k, ...p }) => p),
        offeredOn: orNull(v.offeredOn),
        agreementOn: orNull(v.agreementOn),
        rowVersion: draft?.rowVersion,
      }),
    onSuccess: onDone,
  });
  return (
    <form
      onSubmit={(e) => {
        e.preventDefault();
        save.mutate();
      }}
    >
      <Stack>
        <ErrorAlert error={save.error} />
        {PLAN_TEXT_FIELDS.slice(0, 3).map((f) => (
          <Textarea
            key={f}
            label={t(`pathway.plan.fields.${f}`)}
            value={v[f]}
            onChange={(e) => set(f, e.currentTarget.value)}
            autosize
            minRows={2}
          />
        ))}
        <Title order={3} size="h5">
          {t('pathway.plan.other')}
        </Title>
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          {PLAN_TEXT_FIELDS.slice(3).map((f) => (
            <Textarea
              key={f}
              label={t(`pathway.plan.fields.${f}`)}
              value={v[f]}
              onChange={(e) => set(f, e.currentTarget.value)}
              autosize
            />
          ))}
        </SimpleGrid>
        <SimpleGrid cols={{ base: 1, sm: 3 }}>
          <Select
            label={t('pathway.plan.fields.offer')}
            data={PLAN_OFFER.map((o) => ({ value: o, label: t(`pathway.plan.offer.${o}`) }))}
            value={v.offer}
            onChange={(x) => set('offer', x ?? 'offered')}
            allowDeselect={false}
          />
          <TextInput
            type="date"
            label={t('pathway.plan.offeredOn')}
            value={v.offeredOn ?? ''}
            onChange={(e) => set('offeredOn', e.currentTarget.value)}
          />
          <TextInput
            type="date"
            label={t('pathway.plan.agreementOn')}
            value={v.agreementOn ?? ''}
            onChange={(e) => set('agreementOn', e.currentTarget.value)}
          />
          <Select
            label={t('pathway.plan.agreementHow')}
            data={AGREEMENT_HOW.map((o) => ({ value: o, label: t(`pathway.plan.how.${o}`) }))}
            value={v.agreementHow}
            onChange={(x) => set('agreementHow', x)}
            clearable
          />
          <TextInput
            label={t('pathway.plan.agreementNote')}
            value={v.agreementNote}
            onChange={(e) => set('agreementNote', e.currentTarget.value)}
          />
        </SimpleGrid>
        <Title order={3} size="h5">
          {t('pathway.plan.participants')}
        </Title>
        {v.participants.map((p, i) => (
          <Group key={p.key} grow align="flex-end">
            <Select
              label={t('pathway.plan.participantKind')}
              data={PARTICIPANT_KINDS.map((k) => ({ value: k, label: t(`pathway.plan.kinds.${k}`) }))}
              value={p.kind}
              onChange={(x) =>
                set(
                  'participants',
                  v.participants.map((y, j) => (j === i ? { ...y, kind: x ?? 'other' } : y)),
                )
              }
              allowDeselect={false}
            />
            <TextInput
              label={t('pathway.plan.participant')}
              value={p.name}
              onChange={(e) =>
                set(
                  'participants',
                  v.participants.map((y, j) => (j === i ? { ...y, name: e.currentTarget.value } : y)),
                )
              }
              required
            />
            <TextInput
              label={t('pathway.plan.responsibility')}
              value={p.responsibility}
              onChange={(e) =>
                set(
                  'participants',
                  v.participants.map((y, j) =>
                    j === i ? { ...y, responsibility: e.currentTarget.value } : y,
                  ),
                )
              }
            />
            <Button
              variant="subtle"
              color="red.9"
              onClick={() =>
                set(
                  'participants',
                  v.participants.filter((_, j) => j !== i),
                )
              }
            >
              {t('common.remove')}
            </Button>
          </Group>
        ))}
        <Group justify="space-between">
          <Button
            variant="outline"
            onClick={() =>
              set('participants', [
                ...v.participants,
                withKey({ kind: 'provider', name: '', responsibility: '' }),
              ])
            }
          >
            {t('pathway.plan.addParticipant')}
          </Button>
          <Group>
            <Button variant="default" onClick={onDone}>
              {t('common.cancel')}
            </Button>
            <Button type="submit" loading={save.isPending}>
              {t('common.save')}
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}

/** The §141 plan on the case page: versions, the draft editor, sharing, and the way to the printable page. */
export function PlanSection({ caseId }: { caseId: string }) {
  const { t } = useTranslation();
  const qc = useQueryClient();
  const [editing, setEditing] = useState(false);
  const list = useQuery({
    queryKey: ['plans', caseId],
    queryFn: () => get<{ items: Plan[]; permissions: { write: boolean } }>(`/api/cases/${caseId}/plans`),
  });
  const draftSummary = list.data?.items.find((p) => p.status === 'draft') ?? null;
  const latestShared = list.data?.items.find((p) => p.status === 'shared') ?? null;
  const draft = useQuery({
    queryKey: ['plan', draftSummary?.id],
    queryFn: () => get<Plan>(`/api/plans/${draftSummary!.id}`),
    enabled: !!draftSummary,
  });
  const shared = useQuery({
    queryKey: ['plan', latestShared?.id],
    queryFn: () => get<Plan>(`/api/plans/${latestShared!.id}`),
    enabled: !!latestShared && !draftSummary && editing,
  });
  // The plan read on the tab: the one in force, or the draft when none is shared yet.
  const reading = latestShared ?? draftSummary;
  const current = useQuery({
    queryKey: ['plan-view', reading?.id],
    queryFn: () => get<PlanView>(`/api/plans/${reading!.id}`),
    enabled: !!reading,
  });
  const [notice, setNotice] = useState<string | null>(null);
  const reload = () => {
    setEditing(false);
    void qc.invalidateQueries({ queryKey: ['plans', caseId] });
    void qc.invalidateQueries({ queryKey: ['plan'] });
    void qc.invalidateQueries({ queryKey: ['plan-view'] });
  };
  const share = useMutation({
    mutationFn: (p: Plan) => post(`/api/plans/${p.id}/share`, { rowVersion: p.rowVersion }),
    onSuccess: () => {
      reload();
      setNotice(t('pathway.plan.sharedNotice'));
    },
  });
  const canWrite = list.data?.permissions.write ?? false;
  if (editing && (draft.data || shared.data || (!draftSummary && !latestShared))) {
    return (
      <PlanEditor
        caseId={caseId}
        draft={draft.data ?? null}
        base={shared.data ?? null}
        onDone={() => {
          reload();
          setNotice(t('pathway.plan.savedNotice'));
        }}
      />
    );
  }
  return (
    <Stack>
      <SavedNotice text={notice} onClose={() => setNotice(null)} />
      <ErrorAlert error={list.error ?? share.error} />
      {canWrite && (
        <Group>
          <Button onClick={() => setEditing(true)}>
            {draftSummary
              ? t('pathway.plan.edit')
              : latestShared
                ? t('pathway.plan.newVersion')
                : t('pathway.plan.start')}
          </Button>
          {draft.data && (
            <Button
              variant="outline"
              onClick={() => window.confirm(t('pathway.plan.shareConfirm')) && share.mutate(draft.data!)}
            >
              {t('pathway.plan.share')}
            </Button>
          )}
        </Group>
      )}
      {list.data?.items.length === 0 && <Text>{t('pathway.plan.none')}</Text>}
      {current.data && (
        <Card withBorder padding="md" component="section" aria-labelledby="plan-current">
          <Stack gap="sm">
            <Title order={3} size="h4" id="plan-current">
              {current.data.status === 'shared'
                ? t('pathway.plan.current', { version: current.data.version })
                : t('pathway.plan.currentDraft', { version: current.data.version })}
            </Title>
            <PlanDocument p={current.data} level={4} />
          </Stack>
        </Card>
      )}
      {list.data && list.data.items.length > 0 && (
        <Card withBorder padding="sm">
          <Title order={3} size="h5" mb="xs">
            {t('pathway.plan.versions')}
          </Title>
          <Table>
            <Table.Tbody>
              {list.data.items.map((p) => (
                <Table.Tr key={p.id}>
                  <Table.Td>{t('common.version', { version: p.version })}</Table.Td>
                  <Table.Td>
                    <Badge color={p.status === 'shared' ? 'teal.9' : 'blue.9'}>
                      {t(`pathway.plan.status.${p.status}`)}
                    </Badge>
                  </Table.Td>
                  <Table.Td>
                    {t(`pathway.plan.offer.${p.offer}`)}
                    {p.agreementOn && ` · ${formatDate(p.agreementOn)}`}
                  </Table.Td>
                  <Table.Td>
                    {p.sharedAt ? t('pathway.plan.sharedOn', { date: formatDateTime(p.sharedAt) }) : ''}
                  </Table.Td>
                  <Table.Td>
                    <Link to={`/handleplaner/${p.id}`}>
                      {t('pathway.plan.print')}
                      <span className="visually-hidden"> {t('common.version', { version: p.version })}</span>
                    </Link>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Card>
      )}
    </Stack>
  );
}
