import { Button, Group, Stack, Textarea, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { staffMessageCreateBody } from '../../../shared/schemas';
import { post } from '../../api';
import { ErrorAlert } from '../../components/error-alert';
import { type FieldErrors, serverFieldErrors, validate } from '../../components/forms';
import { AppModal } from '../../components/modal';

/** "Skriv til borgeren": a new message thread on this case, from the writer's unit; then the thread opens. */
export function WriteToCitizen({ citizenId, caseId }: { citizenId: string; caseId: string }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [open, setOpen] = useState(false);
  const [subject, setSubject] = useState('');
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const send = useMutation({
    mutationFn: (b: unknown) => post<{ id: string }>(`/api/citizens/${citizenId}/messages`, b),
    onSuccess: (r) => navigate(`/beskeder/${r.id}`),
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = validate(staffMessageCreateBody, { caseId, subject, body });
    setErrors(v.errors);
    if (v.data) send.mutate(v.data);
  };
  return (
    <>
      <Button variant="outline" onClick={() => setOpen(true)}>
        {t('messages.write')}
      </Button>
      <AppModal opened={open} onClose={() => setOpen(false)} title={t('messages.write')} size="lg">
        <Stack component="form" onSubmit={submit} gap="sm">
          <TextInput
            label={t('messages.subject')}
            value={subject}
            onChange={(e) => setSubject(e.currentTarget.value)}
            maxLength={200}
            error={errors.subject}
          />
          <Textarea
            label={t('messages.body')}
            description={t('messages.replyHelp')}
            value={body}
            onChange={(e) => setBody(e.currentTarget.value)}
            autosize
            minRows={4}
            maxLength={5000}
            error={errors.body}
          />
          <ErrorAlert error={send.error && Object.keys(errors).length === 0 ? send.error : null} />
          <Group>
            <Button type="submit" loading={send.isPending}>
              {t('messages.send')}
            </Button>
          </Group>
        </Stack>
      </AppModal>
    </>
  );
}
