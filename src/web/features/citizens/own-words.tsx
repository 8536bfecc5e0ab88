import { Button, Card, Group, Radio, Stack, Text, Textarea, Title } from '@mantine/core';
import { useMutation, useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { ApiError, get, put } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { formatDateTime } from '../../components/forms';
import { AppModal } from '../../components/modal';
import type { Narrative } from '../../types';
import { ConflictDialog } from './conflict-dialog';

type WrittenBy = Narrative['writtenBy'];

export function WrittenByChoice({ value, onChange }: { value: WrittenBy; onChange: (v: WrittenBy) => void }) {
  const { t } = useTranslation();
  return (
    <Radio.Group label={t('writtenBy.label')} value={value} onChange={(v) => onChange(v as WrittenBy)}>
      <Group mt={4}>
        <Radio value="citizen" label={t('writtenBy.citizen')} />
        <Radio value="staff_on_behalf" label={t('writtenBy.staff_on_behalf')} />
      </Group>
    </Radio.Group>
  );
}

function Byline({ n }: { n: Narrative }) {
  const { t } = useTranslation();
  return (
    <Text size="sm" c="dimmed">
      {t('citizen.lastWritten', {
        who: t(`writtenByShort.${n.writtenBy}`),
        author: n.authorName ?? '–',
        date: formatDateTime(n.createdAt),
        version: n.version,
      })}
    </Text>
  );
}

function History({
  citizenId,
  kind,
  opened,
  onClose,
}: {
  citizenId: string;
  kind: string;
  opened: boolean;
  onClose: () => void;
}) {
  const { t } = useTranslation();
  const q = useQuery({
    queryKey: ['narrative-history', citizenId, kind],
    queryFn: () => get<{ items: Narrative[] }>(`/api/citizens/${citizenId}/narratives/${kind}/history`),
    enabled: opened,
  });
  return (
    <AppModal opened={opened} onClose={onClose} title={t('common.history')} size="lg">
      <Stack>
        {(q.data?.items ?? []).map((n) => (
          <Card withBorder key={n.version}>
            <Byline n={n} />
            <Text className="own-words" mt="xs">
              {n.body}
            </Text>
          </Card>
        ))}
      </Stack>
    </AppModal>
  );
}

/** One text in the citizen's own words: read, write a new version, see earlier versions. */
export function OwnWordsEditor(props: {
  citizenId: string;
  kind: 'hopes' | 'resources';
  current: Narrative | null;
  canWrite: boolean;
  onSaved: () => void;
}) {
  const { t } = useTranslation();
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState('');
  const [writtenBy, setWrittenBy] = useState<WrittenBy>('citizen');
  const [conflict, setConflict] = useState<Narrative | null | undefined>(undefined);
  const [history, setHistory] = useState(false);
  const save = useMutation({
    mutationFn: (baseVersion: number) =>
      put<Narrative>(`/api/citizens/${props.citizenId}/narratives/${props.kind}`, {
        body: draft,
        writtenBy,
        baseVersion,
      }),
    onSuccess: () => {
      setEditing(false);
      setConflict(undefined);
      props.onSaved();
    },
    onError: (e) => {
      if (e instanceof ApiError && e.code === 'version_conflict')
        setConflict((e.body.current as Narrative | null) ?? null);
    },
  });
  const titleId = `own-words-${props.kind}`;
  return (
    <Card withBorder component="section" aria-labelledby={titleId}>
      <Group justify="space-between" mb="xs">
        <Title order={3} size="h4" id={titleId}>
          {t(`citizen.${props.kind}`)}
        </Title>
        <Group gap="xs">
          {props.current && props.current.version > 1 && (
            <Button size="xs" variant="subtle" onClick={() => setHistory(true)}>
              {t('common.history')}
            </Button>
          )}
          {props.canWrite && !editing && (
            <Button
              size="xs"
              variant="outline"
              onClick={() => {
                setDraft(props.current?.body ?? '');
                setWrittenBy(props.current?.writtenBy ?? 'citizen');
                setEditing(true);
              }}
            >
              {t('common.edit')}
              <span className="visually-hidden">: {t(`citizen.${props.kind}`)}</span>
            </Button>
          )}
        </Group>
      </Group>
      {!editing && (
        <>
          <Text className="own-words">{props.current?.body || t('citizen.empty')}</Text>
          {props.current && <Byline n={props.current} />}
        </>
      )}
      {editing && (
        <Stack>
          {conflict === undefined && <ErrorAlert error={save.error} />}
          <Textarea
            label={t(`citizen.${props.kind}`)}
            autosize
            minRows={4}
            maxLength={10000}
            value={draft}
            onChange={(e) => setDraft(e.currentTarget.value)}
          />
          <WrittenByChoice value={writtenBy} onChange={setWrittenBy} />
          <Group justify="flex-end">
            <Button variant="outline" onClick={() => setEditing(false)}>
              {t('common.cancel')}
            </Button>
            <Button loading={save.isPending} onClick={() => save.mutate(props.current?.version ?? 0)}>
              {t('common.save')}
            </Button>
          </Group>
        </Stack>
      )}
      <ConflictDialog
        opened={conflict !== undefined}
        mine={<Text className="own-words">{draft}</Text>}
        theirs={
          conflict ? (
            <>
              <Text className="own-words">{conflict.body}</Text>
              <Byline n={conflict} />
            </>
          ) : (
            <Text>{t('citizen.empty')}</Text>
          )
        }
        onKeepMine={() => save.mutate(conflict?.version ?? 0)}
        onUseTheirs={() => {
          setConflict(undefined);
          setEditing(false);
          props.onSaved();
        }}
      />
      <History
        citizenId={props.citizenId}
        kind={props.kind}
        opened={history}
        onClose={() => setHistory(false)}
      />
    </Card>
  );
}
