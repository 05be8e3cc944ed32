/**
 * Runs one projection: waits for its lease, then keeps its builds moving and renews the lease until stopped.
 *
 * On every lease tick it reconciles the catalog with the code: nothing built yet → build the code's version and
 * make it live at once; the live build has another version, or someone asked for a rebuild → a `building` build
 * catches up from position zero beside the live one (blue-green). When the pending build reaches the head, the
 * live track stops, the pending one passes the live checkpoint, and one transaction retires the old build and
 * points the live views at the new one; then the old tables are dropped.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { Kysely } from 'kysely';
import type { EventStore } from '../../adapters/event-store/port.ts';
import type { ProjectionDefinition } from '../projection.ts';
import { BuildTrack, type TrackContext } from './build-track.ts';
import { abandonBuild, createBuild, currentBuilds, readCheckpoint, switchLive, type BuildInfo } from './catalog.ts';
import { migrateProjectionCatalog } from './catalog-schema.ts';
import { acquireLease, releaseLease, renewLease } from './lease.ts';

export interface ProjectionRunnerOptions {
  /** The read-model database (PostgreSQL or PGlite); the catalog tables are created in it on start. */
  readonly db: Kysely<unknown>;
  /** Where events come from (any EventStore adapter). */
  readonly store: EventStore;
  readonly definition: ProjectionDefinition;
  /** This runner's lease identity (default host:pid:random). */
  readonly owner?: string;
  /** Events per transaction (default 500). */
  readonly batchSize?: number;
  /** How long a lease lasts unless renewed (default 15 s). */
  readonly leaseTtlMs?: number;
  /** How often the lease is renewed, or tried by a waiting runner (default a third of the TTL). */
  readonly renewEveryMs?: number;
  /** Pause after a failed batch before retrying from the stored checkpoint (default 1 s). */
  readonly retryDelayMs?: number;
  /** Notices: lease changes, builds, switches, failures. */
  readonly onEvent?: (event: RunnerEvent) => void;
}

/** What a runner reports as it goes. */
export type RunnerEvent =
  | { readonly kind: 'lease_acquired' | 'lease_lost'; readonly projection: string; readonly owner: string }
  | { readonly kind: 'build_created'; readonly build: BuildInfo }
  | { readonly kind: 'switched'; readonly projection: string; readonly build: number; readonly version: number }
  | { readonly kind: 'error'; readonly projection: string; readonly where: string; readonly error: unknown };

/** `starting`: has not asked for the lease yet; `waiting_for_lease`: another runner holds it. */
export type RunnerState = 'idle' | 'starting' | 'waiting_for_lease' | 'active' | 'stopped';

/** See the module comment. */
export class ProjectionRunner {
  readonly owner: string;
  readonly definition: ProjectionDefinition;
  readonly #db: Kysely<unknown>;
  readonly #ttlMs: number;
  readonly #renewMs: number;
  readonly #ctx: TrackContext;
  readonly #onEvent: (event: RunnerEvent) => void;
  readonly #tracks = new Map<number, BuildTrack>();
  #state: RunnerState = 'idle';
  #loop: Promise<void> | undefined;
  #stopping = false;
  #releaseOnStop = true;
  #wake: (() => void) | undefined;
  #switching: Promise<void> | undefined;
  #migrated = false;

  constructor(options: ProjectionRunnerOptions) {
    this.definition = options.definition;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.#db = options.db;
    this.#ttlMs = options.leaseTtlMs ?? 15_000;
    this.#renewMs = options.renewEveryMs ?? Math.max(50, Math.floor(this.#ttlMs / 3));
    this.#onEvent = options.onEvent ?? (() => undefined);
    this.#ctx = {
      db: options.db,
      store: options.store,
      definition: options.definition,
      owner: this.owner,
      batchSize: options.batchSize ?? 500,
      retryDelayMs: options.retryDelayMs ?? 1_000,
      report: (error, where) => this.#onEvent({ kind: 'error', projection: this.definition.name, where, error }),
    };
  }

  get state(): RunnerState {
    return this.#state;
  }

  /** The builds this runner is moving right now (empty unless it holds the lease). */
  get tracks(): readonly BuildTrack[] {
    return [...this.#tracks.values()];
  }

  /** Starts in the background: wait for the lease, then run. */
  start(): void {
    if (this.#loop) throw new Error(`runner ${this.owner} of ${this.definition.name} already started`);
    this.#state = 'starting';
    this.#loop = this.#main();
  }

  /** Stops the tracks after their batches in flight; gives the lease up unless `releaseLease: false` (a crash, for tests). */
  async stop(options: { releaseLease?: boolean } = {}): Promise<void> {
    this.#stopping = true;
    this.#releaseOnStop = options.releaseLease ?? true;
    this.#wake?.();
    await this.#loop;
    this.#state = 'stopped';
  }

  /** Reconciles the catalog now instead of at the next lease tick (after a rebuild request, say). */
  nudge(): void {
    this.#wake?.();
  }

  async #main(): Promise<void> {
    const name = this.definition.name;
    let active = false;
    while (!this.#stopping) {
      try {
        if (!active) {
          if (!this.#migrated) {
            await migrateProjectionCatalog(this.#db);
            this.#migrated = true;
          }
          active = await acquireLease(this.#db, name, this.owner, this.#ttlMs);
          this.#state = active ? 'active' : 'waiting_for_lease';
          if (active) {
            this.#onEvent({ kind: 'lease_acquired', projection: name, owner: this.owner });
          }
        } else if (!(await renewLease(this.#db, name, this.owner, this.#ttlMs))) {
          active = false;
          this.#state = 'waiting_for_lease';
          this.#onEvent({ kind: 'lease_lost', projection: name, owner: this.owner });
          await this.#stopTracks();
        }
        if (active && !this.#switching) await this.#reconcile();
      } catch (err) {
        this.#ctx.report(err, 'lease or reconcile');
      }
      await this.#sleep(this.#renewMs);
    }
    await this.#stopTracks(); // also ends a switch waiting on a track
    await this.#switching;
    await this.#stopTracks();
    if (active && this.#releaseOnStop) await releaseLease(this.#db, name, this.owner).catch((err: unknown) => this.#ctx.report(err, 'release lease'));
  }

  async #reconcile(): Promise<void> {
    const def = this.definition;
    const builds = await currentBuilds(this.#db, def.name);
    let live = builds.find((b) => b.state === 'live');
    let pending = builds.find((b) => b.state === 'building');
    if (!live && !pending) {
      live = await createBuild(this.#db, def, { live: true });
      this.#onEvent({ kind: 'build_created', build: live });
    }
    if (pending && pending.version !== def.version) {
      await this.#tracks.get(pending.build)?.stop();
      this.#tracks.delete(pending.build);
      await abandonBuild(this.#db, pending);
      pending = undefined;
    }
    if (live && live.version !== def.version && !pending) {
      pending = await createBuild(this.#db, def, { live: false });
      this.#onEvent({ kind: 'build_created', build: pending });
    }
    const wanted = new Set<number>();
    // A live build of another version belongs to code that is gone: it stays frozen until the switch.
    if (live && live.version === def.version) {
      wanted.add(live.build);
      this.#ensureTrack(live, 'live');
    }
    if (pending) {
      wanted.add(pending.build);
      this.#ensureTrack(pending, 'pending');
    }
    for (const [build, track] of this.#tracks) {
      if (!wanted.has(build)) {
        await track.stop();
        this.#tracks.delete(build);
      }
    }
  }

  #ensureTrack(build: BuildInfo, role: 'live' | 'pending'): void {
    if (this.#tracks.has(build.build)) return;
    const track: BuildTrack = new BuildTrack(this.#ctx, build, role, role === 'pending' ? () => this.#beginSwitch(track) : undefined);
    this.#tracks.set(build.build, track);
    track.start();
  }

  #beginSwitch(pending: BuildTrack): void {
    if (this.#switching || this.#stopping || pending.role !== 'pending') return;
    this.#switching = this.#switch(pending).finally(() => {
      this.#switching = undefined;
    });
  }

  async #switch(pending: BuildTrack): Promise<void> {
    const def = this.definition;
    try {
      for (const [build, track] of this.#tracks) {
        if (track.role === 'live') {
          await track.stop();
          this.#tracks.delete(build);
        }
      }
      // The old read model is frozen now; the new one must have seen at least as much before reads move.
      const live = (await currentBuilds(this.#db, def.name)).find((b) => b.state === 'live');
      const frozen = live ? await readCheckpoint(this.#db, def.name, live.build) : null;
      await pending.waitForPosition(frozen?.position);
      await switchLive(this.#db, def, pending.build, this.owner);
      pending.promote();
      this.#onEvent({ kind: 'switched', projection: def.name, build: pending.build.build, version: pending.build.version });
    } catch (err) {
      // The next reconcile restarts whatever track is missing; the pending build tries again when caught up.
      this.#ctx.report(err, 'switch');
    }
  }

  async #stopTracks(): Promise<void> {
    await Promise.all([...this.#tracks.values()].map((t) => t.stop()));
    this.#tracks.clear();
  }

  #sleep(ms: number): Promise<void> {
    if (this.#stopping) return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#wake = undefined;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.#wake = done;
    });
  }
}
