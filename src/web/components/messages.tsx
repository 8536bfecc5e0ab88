import { Button, Card, Group, Stack, Text, Textarea } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { useState } from 'react';
import { messageReplyBody } from '../../shared/schemas';
import { post } from '../api';
import { ErrorAlert } from './error-alert';
import { type FieldErrors, formatDateTime, serverFieldErrors, validate } from './forms';

/** Secure messages as both the portal and the unit inbox show them (issue 14, item 10). */
export interface ThreadMessage {
  id: string;
  body: string;
  from: 'citizen' | 'representative' | 'staff';
  name: string | null;
  at: string;
  readAt: string | null;
}

/** One message as a bubble: mine to the right, theirs to the left; who wrote it and when. */
export function MessageBubble({ m, mine, who }: { m: ThreadMessage; mine: boolean; who: string }) {
  return (
    <Card
      withBorder
      padding="sm"
      bg={mine ? 'blue.0' : undefined}
      style={{ alignSelf: mine ? 'flex-end' : 'flex-start', maxWidth: '90%' }}
    >
      <Text size="xs" c="dimmed">
        {who} · {formatDateTime(m.at)}
      </Text>
      <Text style={{ whiteSpace: 'pre-wrap' }}>{m.body}</Text>
    </Card>
  );
}

/** A thread's messages in order, as a list: the reader's own to the right. */
export function MessageList({
  messages,
  mine,
  who,
}: {
  messages: readonly ThreadMessage[];
  mine: (m: ThreadMessage) => boolean;
  who: (m: ThreadMessage) => string;
}) {
  return (
    <Stack gap="xs" component="ol" style={{ listStyle: 'none', padding: 0, margin: 0, maxWidth: 760 }}>
      {messages.map((m) => (
        <li key={m.id} style={{ display: 'flex', flexDirection: 'column' }}>
          <MessageBubble m={m} mine={mine(m)} who={who(m)} />
        </li>
      ))}
    </Stack>
  );
}

/** The answer box under a thread, for the citizen and for staff: posts the answer and clears itself. */
export function ReplyForm<R>({
  url,
  label,
  help,
  submitLabel,
  onSent,
}: {
  url: string;
  label: string;
  help?: string;
  submitLabel: string;
  onSent: (r: R) => Promise<void> | void;
}) {
  const [body, setBody] = useState('');
  const [errors, setErrors] = useState<FieldErrors>({});
  const reply = useMutation({
    mutationFn: (b: unknown) => post<R>(url, b),
    onSuccess: async (r) => {
      setBody('');
      await onSent(r);
    },
    onError: (err) => setErrors(serverFieldErrors(err)),
  });
  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const v = validate(messageReplyBody, { body });
    setErrors(v.errors);
    if (v.data) reply.mutate(v.data);
  };
  return (
    <Stack component="form" onSubmit={submit} gap="sm" maw={760}>
      <Textarea
        label={label}
        description={help}
        value={body}
        onChange={(e) => setBody(e.currentTarget.value)}
        autosize
        minRows={3}
        maxLength={5000}
        error={errors.body}
      />
      <ErrorAlert error={reply.error && !errors.body ? reply.error : null} />
      <Group>
        <Button type="submit" loading={reply.isPending}>
          {submitLabel}
        </Button>
      </Group>
    </Stack>
  );
}
