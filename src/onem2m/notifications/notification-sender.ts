// placeholder until branch sub-send lands: the interface only
export interface NotificationSender {
  send(target: string, content: Record<string, unknown>): void;
  verify(target: string, content: Record<string, unknown>): Promise<{ rsc?: number; reason?: string }>;
  idle(): Promise<void>;
  close(): void;
}
