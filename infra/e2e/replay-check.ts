// "Replaying the log from zero rebuilds the same state": a fresh routing model folded from every event of the log,
// compared with the live engine's, by a digest of each queue's, agent's and call's state.
import type { EventStore } from '../../adapters/event-store/port.ts';
import { canonicalJson } from '../../domain/shared/canonical-json.ts';
import { parseTenantStream } from '../../domain/shared/tenant-stream.ts';
import { toDomainEvent } from '../../engine/command-handling/handle-command.ts';
import { RoutingModel } from '../../engine/process-managers/routing/routing-model.ts';

/** Routing models (one per tenant, as the routing manager keeps them) built from the whole log, from position zero. */
export async function replayRoutingModels(store: EventStore): Promise<Map<string | undefined, RoutingModel>> {
  const models = new Map<string | undefined, RoutingModel>();
  for await (const r of store.readAll()) {
    if (!/^(call|agent|queue)-/.test(r.streamId)) continue;
    const { tenant } = parseTenantStream(r.streamId);
    let m = models.get(tenant);
    if (!m) models.set(tenant, (m = new RoutingModel(tenant === undefined ? {} : { tenant })));
    m.apply(r.streamId, r.revision, toDomainEvent(r));
  }
  return models;
}

/** Every state the models hold, keyed by tenant and stream, as canonical JSON (equal digests: equal states). */
export function modelDigest(models: ReadonlyMap<string | undefined, RoutingModel>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [tenant, model] of models) {
    const put = (key: string, value: unknown): void => void out.set(`${tenant ?? '(default)'} ${key}`, canonicalJson(value as never));
    for (const [id, q] of model.queues) put(`queue ${id}`, { state: q.state, revision: String(q.revision) });
    for (const [id, a] of model.agents) put(`agent ${id}`, { state: a.state, revision: String(a.revision) });
    for (const [id, c] of [...model.calls, ...model.ended]) put(`call ${id}`, { state: c.state, revision: String(c.revision), switchId: c.switchId, callerLegUuid: c.callerLegUuid });
  }
  return out;
}
