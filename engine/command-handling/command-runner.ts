// How the engine runs a domain command: through handleCommand (reads the stream each time) or through the
// CachedAggregates (decides on cached state). Both are idempotent by commandId and retry conflicts.
import type { EventStore } from '../../adapters/event-store/port.ts';
import { parseAgentCommand, type AgentCommand } from '../../domain/agent/agent-commands.ts';
import { agentDecider } from '../../domain/agent/agent-decider.ts';
import { parseCallCommand, type CallCommand } from '../../domain/call/call-commands.ts';
import { callDecider } from '../../domain/call/call-decider.ts';
import type { CommandEnvelope, Decider } from '../../domain/decider.ts';
import type { DomainEvent } from '../../domain/events/registry.ts';
import { parseQueueCommand, type QueueCommand } from '../../domain/queue/queue-commands.ts';
import { queueDecider } from '../../domain/queue/queue-decider.ts';
import { tenantStream } from '../../domain/shared/tenant-stream.ts';
import { handleCommand, type CommandContext, type CommandOutcome } from './handle-command.ts';

/** Runs one command on one stream. */
export interface CommandRunner {
  run<C extends CommandEnvelope, E extends DomainEvent, S>(decider: Decider<C, E, S>, stream: string, command: C, context?: CommandContext): Promise<CommandOutcome<S>>;
}

/** A runner over handleCommand. */
export function handleCommandRunner(store: EventStore): CommandRunner {
  return { run: (decider, stream, command, context) => handleCommand(store, decider, stream, command, context) };
}

/** A domain command with the category that says which decider and stream it goes to. */
export type EngineCommand =
  | { readonly category: 'agent'; readonly command: AgentCommand }
  | { readonly category: 'call'; readonly command: CallCommand }
  | { readonly category: 'queue'; readonly command: QueueCommand };

/** Validates untrusted command data (e.g. read back from a timer) into an EngineCommand; throws the domain's coded error. */
export function parseEngineCommand(category: 'agent' | 'call' | 'queue', command: unknown): EngineCommand {
  switch (category) {
    case 'agent':
      return { category, command: parseAgentCommand(command) };
    case 'call':
      return { category, command: parseCallCommand(command) };
    case 'queue':
      return { category, command: parseQueueCommand(command) };
  }
}

/**
 * Runs an EngineCommand on its stream in the context's tenant (`agent-<tenant>.<agentId>`, …; the bare
 * `agent-<agentId>` for the default tenant), so the stream and the events' metadata.tenant always agree.
 */
export function dispatchCommand(runner: CommandRunner, c: EngineCommand, context?: CommandContext): Promise<CommandOutcome<unknown>> {
  const tenant = context?.tenant;
  switch (c.category) {
    case 'agent':
      return runner.run(agentDecider, tenantStream('agent', tenant, c.command.agentId), c.command, context);
    case 'call':
      return runner.run(callDecider, tenantStream('call', tenant, c.command.callId), c.command, context);
    case 'queue':
      return runner.run(queueDecider, tenantStream('queue', tenant, c.command.queueId), c.command, context);
  }
}
