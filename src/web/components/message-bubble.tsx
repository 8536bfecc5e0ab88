import { Card, Text } from '@mantine/core';
import { formatDateTime } from './forms';

/** A secure message as both the portal and the unit inbox show it (issue 14, item 10). */
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
